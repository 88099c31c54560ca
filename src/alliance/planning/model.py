r"""The procurement and industrial-capacity LP, one function per constraint family.

Sets (see docs/planning.md): years :math:`y \in Y`, buyers :math:`b \in B`
(allies and, when ``pooled_share > 0``, the pooled buyer), systems
:math:`s \in S`, capabilities :math:`c \in C`, buyer × system pairs
:math:`p = (b, s) \in P` (sparse: only pairs that exist), expandable
production lines :math:`l \in L \subseteq S`.

Variables (all :math:`\ge 0`): ``order[p, y]`` (units, or lots when
``integer_lots``), ``delivery[p, y]`` (units), ``build[l, y]`` (units/year of
capacity added), ``capex_paid[b, y]`` (USD million), ``shortfall[c, y]``
(capability units).

The fixed sequence (STYLE 5) lives in :mod:`alliance.planning.solve`:
check → build (this module) → solve → read solution and duals → tidy results.
"""

from __future__ import annotations

import logging
from typing import Any

import linopy
import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from alliance.planning.inputs import PlanningInputs

__all__ = [
    "CONSTRAINT_FAMILIES",
    "add_budget",
    "add_capex_financing",
    "add_capacity_ramp",
    "add_delivery_lag",
    "add_production_capacity",
    "add_shortfall",
    "add_us_arms_sales",
    "add_variables",
    "build_model",
    "cost_expression",
    "shortfall_objective",
]

logger = logging.getLogger(__name__)

TERM = "_term"

#: Stable constraint-family names and what each limits, in plain language.
CONSTRAINT_FAMILIES: dict[str, str] = {
    "delivery_lag": "lead time between order and delivery",
    "production_capacity": "factory capacity",
    "capacity_ramp": "how fast factories can grow",
    "us_arms_sales": "the US arms-sales limit",
    "budget": "equipment budgets",
    "capex_financing": "paying for new factory capacity",
    "shortfall": "the shortfall definition",
}


def _window_sum(
    model: linopy.Model,
    var: linopy.Variable,
    lo: npt.NDArray[np.integer[Any]],
    hi: npt.NDArray[np.integer[Any]],
    coeff: npt.NDArray[np.floating[Any]] | None = None,
) -> linopy.LinearExpression:
    r"""Sparse moving-window sum over the ``year`` dimension.

    For a variable ``x[e, y]`` (entity first, year second) returns the expression
    :math:`\sum_{t:\, y - hi_e \le t \le y - lo_e} a_e\, x[e, t]`; terms outside the
    horizon are absent (label -1), so no zero coefficients bloat the model.

    Args:
        model: the linopy model owning ``var``.
        var: a 2-D variable with dims ``(entity, "year")``.
        lo: per-entity smallest lag [years] (array of ints).
        hi: per-entity largest lag [years]; may exceed the horizon (cumulative sum).
        coeff: per-entity coefficient :math:`a_e` (default 1).
    """
    labels = var.labels.transpose(..., "year")
    values = labels.values
    n_ent, n_year = values.shape
    span = np.minimum(hi - lo, n_year - 1).astype(int)
    n_term = int(span.max()) + 1 if n_ent else 1
    y_idx = np.arange(n_year)[None, :, None]
    k_idx = np.arange(n_term)[None, None, :]
    t_idx = y_idx - lo[:, None, None] - k_idx
    valid = (t_idx >= 0) & (k_idx <= span[:, None, None])
    t_safe = np.clip(t_idx, 0, n_year - 1)
    ent_idx = np.broadcast_to(np.arange(n_ent)[:, None, None], t_idx.shape)
    vars_ = np.where(valid, values[ent_idx, t_safe], -1)
    a = np.ones(n_ent) if coeff is None else np.asarray(coeff, dtype=float)
    coeffs = np.where(valid, a[:, None, None], 0.0)
    dims = [*labels.dims, TERM]
    data = xr.Dataset(
        {"coeffs": (dims, coeffs), "vars": (dims, vars_)},
        coords={d: labels.coords[d] for d in labels.dims},
    )
    return linopy.LinearExpression(data, model)


def _group_sum(
    expr: linopy.LinearExpression | linopy.Variable,
    mapping: pd.Series,
    old: str,
    new: str,
    groups: list[str] | None = None,
) -> linopy.LinearExpression:
    """Sum ``expr`` over dimension ``old`` into groups named by ``mapping`` (dim ``new``).

    Built directly from the term arrays (numpy), which is much faster than
    xarray's groupby for these small sparse sums: the terms of a group's members
    are laid side by side along the term dimension, padded with absent terms.
    """
    model = expr.model
    if isinstance(expr, linopy.Variable):
        labels = expr.labels.transpose(old, ...)
        vars_ = labels.values[..., None]
        coeffs = np.ones(vars_.shape)
        rest = [d for d in labels.dims if d != old]
        coords = {d: labels.coords[d] for d in rest}
    else:
        data = expr.data.transpose(old, ..., TERM)
        vars_ = data["vars"].values
        coeffs = data["coeffs"].values
        rest = [d for d in data["vars"].dims if d not in (old, TERM)]
        coords = {d: data.coords[d] for d in rest}
        labels = data["vars"]
    members = mapping.loc[labels.indexes[old]].to_numpy()
    names = list(dict.fromkeys(members)) if groups is None else list(groups)
    code = {g: i for i, g in enumerate(names)}
    codes = np.array([code[g] for g in members], dtype=int)
    n_group = len(names)
    counts = np.bincount(codes, minlength=n_group)
    width = max(int(counts.max()) if n_group else 0, 1)
    n_term = vars_.shape[-1]
    slot = np.zeros(len(codes), dtype=int)
    seen = np.zeros(n_group, dtype=int)
    for i, c in enumerate(codes):
        slot[i] = seen[c]
        seen[c] += 1
    shape = (n_group, *vars_.shape[1:-1], width * n_term)
    out_vars = np.full(shape, -1, dtype=vars_.dtype)
    out_coeffs = np.zeros(shape)
    for i, c in enumerate(codes):
        sl = slice(slot[i] * n_term, (slot[i] + 1) * n_term)
        out_vars[c, ..., sl] = vars_[i]
        out_coeffs[c, ..., sl] = coeffs[i]
    dims = [new, *rest, TERM]
    ds = xr.Dataset(
        {"coeffs": (dims, out_coeffs), "vars": (dims, out_vars)},
        coords={new: pd.Index(names, name=new), **coords},
    )
    return linopy.LinearExpression(ds, model)


def add_variables(m: linopy.Model, inputs: PlanningInputs) -> None:
    r"""Decision variables, all non-negative.

    ``order[p, y]`` :math:`\ge 0` (integer lots when ``integer_lots``),
    ``delivery[p, y]`` :math:`\ge 0`, ``build[l, y]`` :math:`\ge 0` for expandable
    lines, ``capex_paid[b, y]`` :math:`\ge 0`, ``shortfall[c, y]`` :math:`\ge 0`.
    """
    years = pd.Index(inputs.years, name="year")
    pairs = pd.Index(inputs.pairs.index, name="pair")
    lines = pd.Index(inputs.systems.index[inputs.systems["expandable"]], name="line")
    buyers = pd.Index(inputs.buyers, name="buyer")
    caps = pd.Index(inputs.capabilities, name="capability")
    m.add_variables(
        lower=0, coords=[pairs, years], name="order", integer=inputs.params.integer_lots
    )
    m.add_variables(lower=0, coords=[pairs, years], name="delivery")
    m.add_variables(lower=0, coords=[lines, years], name="build")
    m.add_variables(lower=0, coords=[buyers, years], name="capex_paid")
    m.add_variables(lower=0, coords=[caps, years], name="shortfall")


def _lot(inputs: PlanningInputs) -> float:
    """Units per order variable (lot size in MILP mode, 1 otherwise)."""
    return float(inputs.params.lot_size_units) if inputs.params.integer_lots else 1.0


def add_delivery_lag(m: linopy.Model, inputs: PlanningInputs) -> None:
    r"""Deliveries follow orders after the system's lead time.

    .. math:: \mathrm{delivery}_{p,y} = q\,\mathrm{order}_{p,\,y - L_{s(p)}}
              \quad (\mathrm{delivery}_{p,y} = 0 \text{ if } y - L_{s(p)} < y_0)

    with :math:`L_s` the lead time [years] and :math:`q` the lot size [units].
    """
    lead = inputs.systems.loc[inputs.pairs["system"], "lead_time_years"].to_numpy(dtype=int)
    lagged = _window_sum(m, m.variables["order"], lead, lead, np.full(len(lead), _lot(inputs)))
    m.add_constraints(m.variables["delivery"] - lagged == 0, name="delivery_lag")


def capacity_expression(m: linopy.Model, inputs: PlanningInputs) -> linopy.LinearExpression:
    r"""Production capacity per system and year [units/year].

    .. math:: K_{s,y} = K^0_s + \sum_{t \le y - \lambda} \mathrm{build}_{s,t}

    with :math:`K^0_s` the initial capacity and :math:`\lambda` the build lag.
    Non-expandable lines keep :math:`K_{s,y} = K^0_s`.
    """
    systems = inputs.systems
    years = pd.Index(inputs.years, name="year")
    k0 = xr.DataArray(
        np.repeat(systems["initial_capacity_units_per_year"].to_numpy()[:, None], len(years), 1),
        coords=[pd.Index(systems.index, name="system"), years],
    )
    build = m.variables["build"]
    n_lines = build.labels.sizes["line"]
    if n_lines == 0:
        return linopy.LinearExpression(k0, m)
    lag = np.full(n_lines, inputs.params.capacity_build_lag_years, dtype=int)
    cumulative = _window_sum(m, build, lag, np.full(n_lines, len(years) + lag.max()))
    cumulative = cumulative.rename({"line": "system"})
    # systems with no expandable line get no build terms (zero added capacity)
    cumulative = cumulative.reindex(system=systems.index).fillna(0)
    return cumulative + k0


def _deliveries_by_system(m: linopy.Model, inputs: PlanningInputs) -> linopy.LinearExpression:
    """Sum of deliveries over buyers, per system and year [units]."""
    return _group_sum(m.variables["delivery"], inputs.pairs["system"], "pair", "system")


def add_production_capacity(m: linopy.Model, inputs: PlanningInputs) -> None:
    r"""Deliveries never exceed the line's capacity that year.

    .. math:: \sum_{b} \mathrm{delivery}_{(b,s),y} \le K_{s,y} \quad \forall s, y
    """
    if inputs.pairs.empty:
        return
    delivered = _deliveries_by_system(m, inputs)
    capacity = capacity_expression(m, inputs).sel(system=delivered.data.indexes["system"])
    m.add_constraints(delivered - capacity <= 0, name="production_capacity")


def add_capacity_ramp(m: linopy.Model, inputs: PlanningInputs) -> None:
    r"""Capacity grows only by investment, at a bounded ramp rate.

    .. math:: \mathrm{build}_{l,y} \le R_l = \max(\rho K^0_l,\ \underline{R})

    with :math:`\rho` = ``capacity_ramp_max_fraction_of_initial`` and
    :math:`\underline{R}` = ``capacity_ramp_floor_units_per_year``.
    """
    build = m.variables["build"]
    if build.labels.sizes["line"] == 0:
        return
    lines = build.labels.indexes["line"]
    ramp = xr.DataArray(
        inputs.systems.loc[lines, "ramp_max_units_per_year"].to_numpy(),
        coords=[lines],
    )
    m.add_constraints(build <= ramp, name="capacity_ramp")


def add_us_arms_sales(m: linopy.Model, inputs: PlanningInputs) -> None:
    r"""US-made systems only as far as the scenario's arms-sales setting allows.

    .. math:: \sum_{b} \mathrm{delivery}_{(b,s),y} \le a_y\, K_{s,y}
              \quad \forall s \in S_{US}, y

    with :math:`a_y \in [0, 1]` the share of US-made purchases allowed relative to
    unrestricted (the line's capacity available to European buyers).
    """
    us_systems = inputs.systems.index[inputs.systems["us_made"]]
    pair_systems = set(inputs.pairs["system"])
    us_bought = [s for s in us_systems if s in pair_systems]
    if not us_bought:
        return
    delivered = _deliveries_by_system(m, inputs).sel(system=us_bought)
    capacity = capacity_expression(m, inputs).sel(system=us_bought)
    share = xr.DataArray(inputs.arms_sales.to_numpy(), coords=[pd.Index(inputs.years, name="year")])
    m.add_constraints(delivered - share * capacity <= 0, name="us_arms_sales")


def order_cost_by_buyer(m: linopy.Model, inputs: PlanningInputs) -> linopy.LinearExpression:
    r"""Money committed to orders per buyer and year [USD million].

    .. math:: \sum_{s} c_{b,s}\, q\, \mathrm{order}_{(b,s),y}
    """
    price = xr.DataArray(
        inputs.pairs["unit_price_musd"].to_numpy() * _lot(inputs),
        coords=[pd.Index(inputs.pairs.index, name="pair")],
    )
    return _group_sum(m.variables["order"] * price, inputs.pairs["buyer"], "pair", "buyer")


def capex_cost(m: linopy.Model, inputs: PlanningInputs) -> linopy.LinearExpression:
    r"""Capital cost of capacity added per line and year [USD million].

    .. math:: \kappa_l\, \mathrm{build}_{l,y}
    """
    build = m.variables["build"]
    lines = build.labels.indexes["line"]
    kappa = xr.DataArray(
        inputs.systems.loc[lines, "capacity_capital_cost_musd_per_unit_per_year"].to_numpy(),
        coords=[lines],
    )
    return build * kappa


def add_budget(m: linopy.Model, inputs: PlanningInputs) -> None:
    r"""Equipment budgets per buyer and year (no carry-over).

    .. math:: \sum_{s} c_{b,s}\, q\, \mathrm{order}_{(b,s),y}
              + \mathrm{capex\_paid}_{b,y} \le B_{b,y} \quad \forall b, y

    with :math:`B_{b,y}` the gap-closing share of the buyer's equipment budget
    [USD million, constant 2025 prices] and :math:`c_{b,s}` the unit price
    (discounted for the pooled buyer).
    """
    budget = xr.DataArray(inputs.budgets_musd)
    capex_paid = m.variables["capex_paid"]
    if inputs.pairs.empty:
        m.add_constraints(capex_paid <= budget, name="budget")
        return
    spend = order_cost_by_buyer(m, inputs).reindex(buyer=inputs.budgets_musd.index)
    m.add_constraints(spend + capex_paid <= budget, name="budget")


def add_capex_financing(m: linopy.Model, inputs: PlanningInputs) -> None:
    r"""New capacity is paid for from the buyers' budgets.

    .. math:: \sum_{b} \mathrm{capex\_paid}_{b,y} = \sum_{l} \kappa_l\, \mathrm{build}_{l,y}
              \quad \forall y
    """
    paid = m.variables["capex_paid"].sum("buyer")
    if m.variables["build"].labels.sizes["line"] == 0:
        m.add_constraints(paid == 0, name="capex_financing")
        return
    m.add_constraints(paid - capex_cost(m, inputs).sum("line") == 0, name="capex_financing")


def in_service_by_capability(
    m: linopy.Model, inputs: PlanningInputs
) -> linopy.LinearExpression | None:
    r"""New units in service per capability and year [capability units].

    .. math:: N_{c,y} = \sum_{s \in S_c} u_s \sum_{t = y - \ell_s + 1}^{y}
              \sum_b \mathrm{delivery}_{(b,s),t}

    with :math:`u_s` the capability units per system and :math:`\ell_s` the
    service life [years]: a unit delivered in year :math:`t` retires at the
    start of year :math:`t + \ell_s`. Returns None when nothing can be bought.
    """
    if inputs.pairs.empty:
        return None
    pair_sys = inputs.pairs["system"]
    pair_life = inputs.systems.loc[pair_sys, "service_life_years"].to_numpy(dtype=int)
    pair_units = inputs.systems.loc[pair_sys, "capability_units_per_system"].to_numpy()
    window = _window_sum(
        m, m.variables["delivery"], np.zeros(len(pair_life), dtype=int), pair_life - 1, pair_units
    )
    pair_cap = inputs.systems.loc[pair_sys, "capability"]
    pair_cap.index = inputs.pairs.index
    return _group_sum(window, pair_cap, "pair", "capability", groups=inputs.capabilities)


def add_shortfall(m: linopy.Model, inputs: PlanningInputs) -> None:
    r"""Shortfall per capability and year.

    .. math:: \mathrm{shortfall}_{c,y} \ge R_{c,y} - E_{c,y} - U_{c,y} - N_{c,y}

    with requirement :math:`R`, effective European holdings :math:`E` and US
    contribution :math:`U` from the capability stage, and :math:`N` the new
    units in service (:func:`in_service_by_capability`).
    """
    short = m.variables["shortfall"]
    gap = xr.DataArray(
        inputs.gaps["residual_gap"]
        .unstack("year")
        .reindex(index=inputs.capabilities, columns=inputs.years)
    )
    gap = gap.rename({gap.dims[0]: "capability", gap.dims[1]: "year"})
    new = in_service_by_capability(m, inputs)
    if new is None:
        m.add_constraints(short >= gap, name="shortfall")
        return
    m.add_constraints(short + new >= gap, name="shortfall")


def shortfall_weights(inputs: PlanningInputs) -> pd.Series:
    r"""Objective weight per capability: :math:`w_c / N_c`.

    :math:`w_c` is the risk weight; :math:`N_c` is the capability's largest
    requirement over the horizon when ``normalise_shortfall_by_requirement``
    (so that a shortfall counts as a share of need), else 1.
    """
    params = inputs.params
    weights = {}
    for cap in inputs.capabilities:
        norm = 1.0
        if params.normalise_shortfall_by_requirement:
            peak = float(inputs.gaps["requirement"].loc[cap].max())
            norm = peak if peak > 0 else 1.0
        weights[cap] = params.risk_weight(cap) / norm
    return pd.Series(weights, name="weight")


def shortfall_objective(m: linopy.Model, inputs: PlanningInputs) -> linopy.LinearExpression:
    r"""Risk-weighted shortfall summed over years (the vulnerability window).

    .. math:: \Phi = \sum_{c,y} \frac{w_c}{N_c}\, \mathrm{shortfall}_{c,y}
    """
    weights = shortfall_weights(inputs)
    w = xr.DataArray(weights.to_numpy(), coords=[pd.Index(weights.index, name="capability")])
    return (m.variables["shortfall"] * w).sum()


def cost_expression(m: linopy.Model, inputs: PlanningInputs) -> linopy.LinearExpression:
    r"""Total cost over the horizon [USD million].

    .. math:: \Gamma = \sum_{p,y} c_p\, q\, \mathrm{order}_{p,y}
              + \sum_{l,y} \kappa_l\, \mathrm{build}_{l,y}
    """
    total = m.variables["capex_paid"].sum()
    if not inputs.pairs.empty:
        total = total + order_cost_by_buyer(m, inputs).sum()
    return total


def build_model(inputs: PlanningInputs) -> linopy.Model:
    """Build the linopy model: variables, every constraint family, the objective.

    The objective is the risk-weighted shortfall; in ``epsilon`` mode the cost is
    added with weight ``cost_tiebreak_weight``. The lexicographic cost step is
    added by :func:`alliance.planning.solve.solve_plan` after the first solve.
    """
    m = linopy.Model(force_dim_names=True)
    add_variables(m, inputs)
    add_delivery_lag(m, inputs)
    add_production_capacity(m, inputs)
    add_capacity_ramp(m, inputs)
    add_us_arms_sales(m, inputs)
    add_budget(m, inputs)
    add_capex_financing(m, inputs)
    add_shortfall(m, inputs)
    objective = shortfall_objective(m, inputs)
    if inputs.params.objective_mode == "epsilon":
        objective = objective + inputs.params.cost_tiebreak_weight * cost_expression(m, inputs)
    m.add_objective(objective)
    logger.debug("planning model: %d variables, %d constraints", m.nvars, m.ncons)
    return m
