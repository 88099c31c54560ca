r"""The procurement and industrial-capacity LP, one function per constraint family.

Sets (see docs/planning.md): LP years :math:`y \in Y` (planned years :math:`H
\subseteq Y` plus the years after the horizon in which orders placed by the
horizon still deliver), buyers :math:`b \in B` (allies and, when ``pooled_share >
0``, the pooled buyer), systems :math:`s \in S` (those some buyer can order),
capabilities :math:`c \in C`, buyer × system pairs :math:`p = (b, s) \in P`
(sparse: a stacked ``pair`` dimension, only pairs that exist), expandable
production lines :math:`l \in L \subseteq S`.

Variables (all :math:`\ge 0`): ``order[p, y]`` (units, or lots when
``integer_lots``; only :math:`y \in H`), ``delivery[s, y]`` (units of new orders
delivered from line :math:`s`), ``build[l, y]`` (units/year of paid capacity
added; only :math:`y \in H`), ``capex_paid[b, y]`` (USD million, :math:`y \in H`),
``shortfall[c, y]`` (capability units).

Every family is assembled directly as term arrays (numpy fancy indexing over the
``pair``/``system``/``year`` dimensions, absent terms labelled −1), so the build
has no per-pair Python loop and each family is a single linopy call.

The fixed sequence (STYLE 5) lives in :mod:`alliance.planning.solve`:
check → build (this module) → solve → read solution and duals → tidy results.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import linopy
import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from alliance.planning.inputs import PlanningInputs

__all__ = [
    "CONSTRAINT_FAMILIES",
    "Index",
    "add_budget",
    "add_capacity_expansion",
    "add_capacity_ramp",
    "add_capex_financing",
    "add_delivery_lag",
    "add_production_capacity",
    "add_shortfall",
    "add_shortfall_bound",
    "add_us_arms_sales",
    "add_variables",
    "build_model",
    "cost_expression",
    "shortfall_objective",
    "shortfall_weights",
]

logger = logging.getLogger(__name__)

TERM = "_term"
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Stable constraint-family names and what each limits, in plain language.
CONSTRAINT_FAMILIES: dict[str, str] = {
    "delivery_lag": "lead time between order and delivery",
    "production_capacity": "factory capacity",
    "capacity_ramp": "how fast factories can grow",
    "capacity_expansion": "how far factories can grow beyond their announced ramp",
    "us_arms_sales": "the US arms-sales limit",
    "budget": "equipment budgets",
    "capex_financing": "paying for new factory capacity",
    "shortfall": "the shortfall definition",
}


@dataclass(frozen=True)
class Index:
    """Integer positions of the LP's sets, computed once per model (numpy only).

    Attributes:
        years: LP years; ``n_planned`` of them are planned (orders allowed).
        systems: systems some buyer can order; ``lines`` the expandable ones.
        pair_system: position in ``systems`` of each pair's system.
        pair_buyer: position in ``buyers`` of each pair's buyer.
        system_pairs: (system, buyer) → pair position, −1 where no pair.
        line_of_system: position in ``lines`` of each system, −1 if not expandable.
        capability_systems: (capability, k) → system position, −1 padding.
    """

    years: pd.Index
    planned: pd.Index
    systems: pd.Index
    lines: pd.Index
    buyers: pd.Index
    capabilities: pd.Index
    pairs: pd.Index
    pair_system: IntArray
    pair_buyer: IntArray
    system_pairs: IntArray
    line_of_system: IntArray
    capability_systems: IntArray

    @property
    def n_planned(self) -> int:
        """Number of planned years (the first of ``years``)."""
        return len(self.planned)

    @classmethod
    def of(cls, inputs: PlanningInputs) -> Index:
        """Positions for ``inputs``."""
        systems = pd.Index(inputs.bought_systems, name="system")
        expandable = inputs.systems.loc[systems, "expandable"].to_numpy(dtype=bool)
        lines = pd.Index(systems[expandable], name="line")
        buyers = pd.Index(inputs.buyers, name="buyer")
        caps = pd.Index(inputs.capabilities, name="capability")
        pair_system = systems.get_indexer(pd.Index(inputs.pairs["system"])).astype(np.int64)
        pair_buyer = buyers.get_indexer(pd.Index(inputs.pairs["buyer"])).astype(np.int64)
        system_pairs = np.full((len(systems), len(buyers)), -1, dtype=np.int64)
        system_pairs[pair_system, pair_buyer] = np.arange(len(pair_system))
        line_of_system = np.where(expandable, np.cumsum(expandable) - 1, -1).astype(np.int64)
        sys_cap = caps.get_indexer(pd.Index(inputs.systems.loc[systems, "capability"]))
        counts = np.bincount(sys_cap, minlength=len(caps)) if len(systems) else np.zeros(
            len(caps), dtype=np.int64
        )
        width = max(int(counts.max()) if len(caps) else 0, 1)
        cap_systems = np.full((len(caps), width), -1, dtype=np.int64)
        order = np.argsort(sys_cap, kind="stable")
        slot = np.arange(len(order)) - np.searchsorted(sys_cap[order], sys_cap[order])
        cap_systems[sys_cap[order], slot] = order
        return cls(
            years=pd.Index(inputs.lp_years, name="year"),
            planned=pd.Index(inputs.years, name="year"),
            systems=systems, lines=lines, buyers=buyers, capabilities=caps,
            pairs=pd.Index(inputs.pairs.index, name="pair"),
            pair_system=pair_system, pair_buyer=pair_buyer, system_pairs=system_pairs,
            line_of_system=line_of_system, capability_systems=cap_systems,
        )


def _expr(
    m: linopy.Model, coords: list[pd.Index], vars_: IntArray, coeffs: FloatArray
) -> linopy.LinearExpression:
    """A linear expression from term arrays of shape (*dims, term); −1 = absent term."""
    dims = [c.name for c in coords]
    coeffs = np.where(vars_ >= 0, coeffs, 0.0)
    ds = xr.Dataset(
        {"coeffs": ([*dims, TERM], coeffs), "vars": ([*dims, TERM], vars_)},
        coords={c.name: c for c in coords},
    )
    return linopy.LinearExpression(ds, m)


def _add(
    m: linopy.Model, name: str, coords: list[pd.Index], vars_: IntArray, coeffs: FloatArray,
    sign: str, rhs: FloatArray | float,
) -> None:
    """Add one constraint family straight from term arrays of shape (*dims, term).

    The arrays are already aligned and every row holds a variable, so the family
    is handed to linopy as a finished, labelled constraint (labels drawn from the
    model's counter, unit scaling): none of linopy's alignment and broadcasting of
    expressions is needed. Falls back to ``Model.add_constraints`` if this linopy
    lacks the internals used.
    """
    dims = [str(c.name) for c in coords]
    shape = tuple(len(c) for c in coords)
    coeffs = np.where(vars_ >= 0, coeffs, 0.0)
    data: dict[str, Any] = {
        "coeffs": ([*dims, TERM], coeffs),
        "vars": ([*dims, TERM], vars_),
        "sign": (dims, np.full(shape, sign)),
        "rhs": (dims, np.broadcast_to(np.asarray(rhs, dtype=float), shape).copy()),
    }
    coord_map = {str(c.name): c for c in coords}
    size = int(np.prod(shape))
    counter = getattr(m, "_cCounter", None)
    allocate = getattr(m, "_allocate_labels", None)
    if counter is None or allocate is None:
        m.add_constraints(linopy.constraints.Constraint(xr.Dataset(data, coords=coord_map), m,
                                                        name, skip_broadcast=True), name=name)
        return
    data["labels"] = (dims, allocate(counter, counter + size).reshape(shape))
    data["scaling"] = (dims, np.ones(shape))
    ds = xr.Dataset(data, coords=coord_map, attrs={"label_range": (counter, counter + size),
                                                   "name": name})
    m._cCounter = counter + size
    m.constraints.add(linopy.constraints.Constraint(ds, m, name, skip_broadcast=True))


def _scalar_expr(m: linopy.Model, vars_: IntArray, coeffs: FloatArray) -> linopy.LinearExpression:
    """A scalar linear expression (a sum) from flat term arrays; −1 = absent term."""
    ds = xr.Dataset({"coeffs": ([TERM], np.where(vars_ >= 0, coeffs, 0.0)),
                     "vars": ([TERM], vars_)})
    return linopy.LinearExpression(ds, m)


def _take(labels: IntArray, rows: IntArray, cols: IntArray) -> IntArray:
    """``labels[rows, cols]`` with −1 wherever a row or column position is −1 or out of range."""
    n_rows, n_cols = labels.shape
    if n_rows == 0 or n_cols == 0:
        return np.full(np.broadcast_shapes(rows.shape, cols.shape), -1, dtype=np.int64)
    ok = (rows >= 0) & (rows < n_rows) & (cols >= 0) & (cols < n_cols)
    picked = labels[np.clip(rows, 0, max(n_rows - 1, 0)), np.clip(cols, 0, max(n_cols - 1, 0))]
    return np.where(ok, picked, -1)


def _labels(m: linopy.Model, name: str) -> IntArray:
    """Integer labels of variable ``name`` (−1 where masked)."""
    return np.asarray(m.variables[name].labels.values, dtype=np.int64)


def _lot(inputs: PlanningInputs) -> float:
    """Units per order variable (lot size in MILP mode, 1 otherwise)."""
    return float(inputs.params.lot_size_units) if inputs.params.integer_lots else 1.0


def _nonneg(m: linopy.Model, name: str, coords: list[pd.Index], integer: bool = False) -> None:
    """Add a non-negative variable over ``coords`` as a finished, labelled variable.

    Same shortcut as :func:`_add` (bounds already aligned, labels from the model's
    counter); falls back to ``Model.add_variables`` without those internals.
    """
    counter = getattr(m, "_xCounter", None)
    allocate = getattr(m, "_allocate_labels", None)
    if counter is None or allocate is None:
        m.add_variables(lower=0, coords=coords, name=name, integer=integer)
        return
    dims = [str(c.name) for c in coords]
    shape = tuple(len(c) for c in coords)
    size = int(np.prod(shape))
    ds = xr.Dataset(
        {
            "lower": (dims, np.zeros(shape)),
            "upper": (dims, np.full(shape, np.inf)),
            "scaling": (dims, np.ones(shape)),
            "labels": (dims, allocate(counter, counter + size).reshape(shape)),
        },
        coords={str(c.name): c for c in coords},
        attrs={"label_range": (counter, counter + size), "name": name, "binary": False,
               "integer": integer, "semi_continuous": False},
    )
    m._xCounter = counter + size
    m.variables.add(linopy.variables.Variable(ds, name=name, model=m, skip_broadcast=True))


def add_variables(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> None:
    r"""Decision variables, all non-negative.

    ``order[p, y]`` (integer lots when ``integer_lots``) and ``build[l, y]`` exist
    only in planned years; ``delivery[s, y]`` and ``shortfall[c, y]`` in every LP
    year; ``capex_paid[b, y]`` in planned years.
    """
    _nonneg(m, "order", [ix.pairs, ix.planned], integer=inputs.params.integer_lots)
    _nonneg(m, "delivery", [ix.systems, ix.years])
    _nonneg(m, "build", [ix.lines, ix.planned])
    _nonneg(m, "capex_paid", [ix.buyers, ix.planned])
    _nonneg(m, "shortfall", [ix.capabilities, ix.years])


def _system_column(inputs: PlanningInputs, ix: Index, column: str) -> npt.NDArray[Any]:
    """A column of ``inputs.systems`` for the bought systems, in ``ix.systems`` order."""
    values: npt.NDArray[Any] = inputs.systems.loc[ix.systems, column].to_numpy()
    return values


def add_delivery_lag(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> None:
    r"""Deliveries of new orders follow the orders after the system's lead time.

    .. math:: \mathrm{delivery}_{s,y} = q \sum_b \mathrm{order}_{(b,s),\,y - L_s}
              \quad (\text{no term if } y - L_s < y_0)

    with :math:`L_s` the lead time [whole years] and :math:`q` the lot size [units].
    """
    if len(ix.systems) == 0:
        return
    lead = _system_column(inputs, ix, "lead_time_years").astype(np.int64)
    n_y = len(ix.years)
    t = np.arange(n_y)[None, :] - lead[:, None]  # (s, y)
    rows = ix.system_pairs[:, None, :]  # (s, 1, b)
    order_terms = _take(_labels(m, "order"), np.broadcast_to(rows, (*t.shape, rows.shape[2])),
                        np.broadcast_to(t[:, :, None], (*t.shape, rows.shape[2])))
    delivery = _labels(m, "delivery")[:, :, None]
    vars_ = np.concatenate([delivery, order_terms], axis=2)
    coeffs = np.concatenate(
        [np.ones(delivery.shape), np.full(order_terms.shape, -_lot(inputs))], axis=2
    )
    _add(m, "delivery_lag", [ix.systems, ix.years], vars_, coeffs, "=", 0.0)


def _added_capacity_terms(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> IntArray:
    r"""Terms of :math:`\sum_{t \le y - \lambda} \mathrm{build}_{l(s),t}` per (system, year)."""
    lag = inputs.params.capacity_build_lag_years
    n_y = len(ix.years)
    t = np.arange(n_y)
    usable = t[None, :] <= (t[:, None] - lag)  # (y, t)
    rows = np.broadcast_to(ix.line_of_system[:, None, None], (len(ix.systems), n_y, n_y))
    cols = np.where(usable[None, :, :], t[None, None, :], -1)
    return _take(_labels(m, "build"), rows, np.broadcast_to(cols, rows.shape))


def _free_capacity(inputs: PlanningInputs, ix: Index) -> FloatArray:
    """Line capacity left for new orders per (system, LP year) [units/year]."""
    return inputs.free_capacity.loc[ix.systems, list(ix.years)].to_numpy(dtype=float)


def add_production_capacity(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> None:
    r"""Deliveries of new orders never exceed the line's free capacity that year.

    .. math:: \mathrm{delivery}_{s,y} \le F_{s,y} + \sum_{t \le y-\lambda}
              \mathrm{build}_{s,t}

    with :math:`F_{s,y} = K_{s,y} - D^{\mathrm{backlog}}_{s,y}`: the base line rate
    (today's rate ramping to the announced rate) less the backlog delivered first.
    """
    if len(ix.systems) == 0:
        return
    added = _added_capacity_terms(m, inputs, ix)
    delivery = _labels(m, "delivery")[:, :, None]
    vars_ = np.concatenate([delivery, added], axis=2)
    coeffs = np.concatenate([np.ones(delivery.shape), -np.ones(added.shape)], axis=2)
    _add(m, "production_capacity", [ix.systems, ix.years], vars_, coeffs, "<=",
         _free_capacity(inputs, ix))


def add_capacity_ramp(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> None:
    r"""Paid capacity grows at a bounded rate per year.

    .. math:: \mathrm{build}_{l,y} \le R_l = \max(\rho \bar K_l,\ \underline{R})

    with :math:`\bar K_l` the reference rate (larger of today's and the announced),
    :math:`\rho` = ``capacity_ramp_max_fraction_of_initial`` and :math:`\underline{R}`
    = ``capacity_ramp_floor_units_per_year``.
    """
    if len(ix.lines) == 0:
        return
    build = _labels(m, "build")[:, :, None]
    ramp = inputs.systems.loc[ix.lines, "ramp_max_units_per_year"].to_numpy(dtype=float)
    _add(m, "capacity_ramp", [ix.lines, ix.planned], build, np.ones(build.shape), "<=",
         ramp[:, None])


def add_capacity_expansion(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> None:
    r"""Paid capacity beyond the announced ramp is bounded in total.

    .. math:: \sum_y \mathrm{build}_{l,y} \le X_l = \max(\chi \bar K_l,\ \underline{X})

    with :math:`\chi` = ``capacity_expansion_max_fraction`` and :math:`\underline{X}`
    = ``capacity_expansion_floor_units_per_year``.
    """
    if len(ix.lines) == 0:
        return
    build = _labels(m, "build")
    cap = inputs.systems.loc[ix.lines, "expansion_max_units_per_year"].to_numpy(dtype=float)
    _add(m, "capacity_expansion", [ix.lines], build, np.ones(build.shape), "<=", cap)


def add_us_arms_sales(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> None:
    r"""US-made systems only as far as the scenario's arms-sales setting allows.

    .. math:: \mathrm{delivery}_{s,y} \le a_y \big(F_{s,y} + \sum_{t \le y-\lambda}
              \mathrm{build}_{s,t}\big) \quad \forall s \in S_{US}, y

    with :math:`a_y \in [0, 1]` the share of US-made purchases allowed.
    """
    us = np.nonzero(_system_column(inputs, ix, "us_made").astype(bool))[0]
    if len(us) == 0:
        return
    share = inputs.arms_sales.reindex(ix.years).to_numpy(dtype=float)
    added = _added_capacity_terms(m, inputs, ix)[us]
    delivery = _labels(m, "delivery")[us][:, :, None]
    vars_ = np.concatenate([delivery, added], axis=2)
    coeffs = np.concatenate(
        [np.ones(delivery.shape), -np.broadcast_to(share[None, :, None], added.shape)], axis=2
    )
    systems = pd.Index(ix.systems[us], name="system")
    _add(m, "us_arms_sales", [systems, ix.years], vars_, coeffs, "<=",
         _free_capacity(inputs, ix)[us] * share[None, :])


def _order_cost_terms(
    m: linopy.Model, inputs: PlanningInputs, ix: Index
) -> tuple[IntArray, FloatArray]:
    """Terms of each buyer's order spending per planned year: (buyer, year, system)."""
    pairs = ix.system_pairs.T  # (b, s)
    n_h = ix.n_planned
    rows = np.broadcast_to(pairs[:, None, :], (pairs.shape[0], n_h, pairs.shape[1]))
    cols = np.broadcast_to(np.arange(n_h)[None, :, None], rows.shape)
    vars_ = _take(_labels(m, "order"), rows, cols)
    price = inputs.pairs["unit_price_musd"].to_numpy(dtype=float) * _lot(inputs)
    coeffs = np.where(rows >= 0, price[np.clip(rows, 0, None)] if len(price) else 0.0, 0.0)
    return vars_, coeffs


def add_budget(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> None:
    r"""Equipment budgets per buyer and planned year (no carry-over).

    .. math:: \sum_{s} c_{b,s}\, q\, \mathrm{order}_{(b,s),y}
              + \mathrm{capex\_paid}_{b,y} \le B_{b,y} \quad \forall b, y \in H

    with :math:`B_{b,y}` the gap-closing budget [USD million, constant 2025 prices]
    and :math:`c_{b,s}` the unit price (discounted for the pooled buyer).
    """
    if len(ix.buyers) == 0:
        return
    order_vars, order_coeffs = _order_cost_terms(m, inputs, ix)
    capex = _labels(m, "capex_paid")[:, :, None]
    vars_ = np.concatenate([capex, order_vars], axis=2)
    coeffs = np.concatenate([np.ones(capex.shape), order_coeffs], axis=2)
    budget = inputs.budgets_musd.loc[ix.buyers, list(ix.planned)].to_numpy(dtype=float)
    _add(m, "budget", [ix.buyers, ix.planned], vars_, coeffs, "<=", budget)


def add_capex_financing(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> None:
    r"""New capacity is paid for from the buyers' budgets.

    .. math:: \sum_{b} \mathrm{capex\_paid}_{b,y} = \sum_{l} \kappa_l\, \mathrm{build}_{l,y}
              \quad \forall y \in H
    """
    if len(ix.buyers) == 0 and len(ix.lines) == 0:
        return
    capex = _labels(m, "capex_paid").T  # (y, b)
    build = _labels(m, "build").T  # (y, l)
    kappa = inputs.systems.loc[ix.lines, "capacity_capital_cost_musd_per_unit_per_year"]
    vars_ = np.concatenate([capex, build], axis=1)
    coeffs = np.concatenate(
        [np.ones(capex.shape), -np.broadcast_to(kappa.to_numpy(dtype=float)[None, :],
                                                build.shape)], axis=1
    )
    _add(m, "capex_financing", [ix.planned], vars_, coeffs, "=", 0.0)


def add_shortfall(m: linopy.Model, inputs: PlanningInputs, ix: Index) -> None:
    r"""Shortfall per capability and LP year.

    .. math:: \mathrm{shortfall}_{c,y} \ge R_{c,y} - E_{c,y} - U_{c,y} - X_{c,y}
              - \sum_{s \in S_c} u_s \sum_{t = y - \ell_s + 1}^{y} \mathrm{delivery}_{s,t}

    with requirement :math:`R`, effective European holdings :math:`E` and US
    contribution :math:`U` from the capability stage, :math:`X` the units in service
    the LP does not choose (European backlog deliveries, recruits), :math:`u_s` the
    capability units per system and :math:`\ell_s` the service life [years].
    """
    n_y = len(ix.years)
    cs = ix.capability_systems  # (c, k)
    life = _system_column(inputs, ix, "service_life_years").astype(np.int64)
    units = _system_column(inputs, ix, "capability_units_per_system").astype(float)
    y = np.arange(n_y)
    n_c, n_k = cs.shape
    rows = np.broadcast_to(cs[:, None, :, None], (n_c, n_y, n_k, n_y))
    life_k = np.where(cs >= 0, life[np.clip(cs, 0, None)] if len(life) else 1, 1)
    in_window = (y[None, None, None, :] <= y[None, :, None, None]) & (
        y[None, None, None, :] > y[None, :, None, None] - life_k[:, None, :, None]
    )
    cols = np.where(in_window, y[None, None, None, :], -1)
    terms = _take(_labels(m, "delivery"), rows, np.broadcast_to(cols, rows.shape))
    u_k = np.where(cs >= 0, units[np.clip(cs, 0, None)] if len(units) else 0.0, 0.0)
    coeffs = np.broadcast_to(u_k[:, None, :, None], terms.shape)
    short = _labels(m, "shortfall")[:, :, None]
    vars_ = np.concatenate([short, terms.reshape(n_c, n_y, n_k * n_y)], axis=2)
    coeffs_all = np.concatenate([np.ones(short.shape), coeffs.reshape(n_c, n_y, n_k * n_y)],
                                axis=2)
    _add(m, "shortfall", [ix.capabilities, ix.years], vars_, coeffs_all, ">=",
         shortfall_rhs(inputs))


def shortfall_rhs(inputs: PlanningInputs) -> FloatArray:
    """Residual gap less exogenous units in service, per (capability, LP year)."""
    gap = inputs.gaps["residual_gap"].unstack("year").reindex(
        index=inputs.capabilities, columns=inputs.lp_years
    )
    exo = inputs.exogenous.reindex(index=inputs.capabilities, columns=inputs.lp_years)
    return (gap - exo.fillna(0.0)).to_numpy(dtype=float)


def shortfall_weights(inputs: PlanningInputs) -> pd.Series:
    r"""Objective weight per capability: :math:`w_c / N_c`.

    :math:`w_c` is the risk weight; :math:`N_c` is the capability's largest
    requirement over the horizon when ``normalise_shortfall_by_requirement``
    (so that a shortfall counts as a share of need), else 1.
    """
    params = inputs.params
    peaks = inputs.gaps["requirement"].groupby(level="capability", sort=False).max()
    weights = {}
    for cap in inputs.capabilities:
        norm = 1.0
        if params.normalise_shortfall_by_requirement:
            peak = float(peaks.loc[cap])
            norm = peak if peak > 0 else 1.0
        weights[cap] = params.risk_weight(cap) / norm
    return pd.Series(weights, name="weight", dtype=float)


def shortfall_objective(m: linopy.Model, inputs: PlanningInputs) -> linopy.LinearExpression:
    r"""Risk-weighted shortfall summed over LP years (the vulnerability window).

    .. math:: \Phi = \sum_{c,y} \frac{w_c}{N_c}\, \mathrm{shortfall}_{c,y}
    """
    weights = shortfall_weights(inputs).reindex(inputs.capabilities).to_numpy(dtype=float)
    labels = _labels(m, "shortfall")
    coeffs = np.broadcast_to(weights[:, None], labels.shape)
    return _scalar_expr(m, labels.ravel(), coeffs.ravel())


def add_shortfall_bound(
    m: linopy.Model, shortfall: linopy.LinearExpression, bound: float
) -> None:
    r"""Lexicographic cost step: the shortfall may not rise above its first-step optimum.

    .. math:: \Phi = \sum_{c,y} \frac{w_c}{N_c}\, \mathrm{shortfall}_{c,y} \le \bar\Phi

    with :math:`\bar\Phi` = ``bound`` (the optimum plus its tolerance). One row,
    named ``lexicographic_shortfall``, with the terms of ``shortfall`` (the
    expression :func:`shortfall_objective` gives).
    """
    vars_ = np.asarray(shortfall.vars.values, dtype=np.int64)
    coeffs = np.asarray(shortfall.coeffs.values, dtype=float)
    _add(m, "lexicographic_shortfall", [], vars_, coeffs, "<=", bound)


def cost_expression(
    m: linopy.Model, inputs: PlanningInputs, ix: Index | None = None
) -> linopy.LinearExpression:
    r"""Total cost over the planned years [USD million].

    .. math:: \Gamma = \sum_{p,y} c_p\, q\, \mathrm{order}_{p,y}
              + \sum_{l,y} \kappa_l\, \mathrm{build}_{l,y}
    """
    ix = Index.of(inputs) if ix is None else ix
    order_vars, order_coeffs = _order_cost_terms(m, inputs, ix)
    capex = _labels(m, "capex_paid")
    vars_ = np.concatenate([capex.ravel(), order_vars.ravel()])[None, :]
    coeffs = np.concatenate([np.ones(capex.size), order_coeffs.ravel()])[None, :]
    return _scalar_expr(m, vars_.ravel(), coeffs.ravel())


def build_model(inputs: PlanningInputs, ix: Index | None = None) -> linopy.Model:
    """Build the linopy model: variables, every constraint family, the objective.

    The objective is the risk-weighted shortfall; in ``epsilon`` mode the cost is
    added with weight ``cost_tiebreak_weight``. The lexicographic cost step is
    added by :func:`alliance.planning.solve.solve_plan` after the first solve.
    ``ix``: the positions of ``inputs`` if already computed (:meth:`Index.of`).
    """
    m = linopy.Model(force_dim_names=True)
    ix = Index.of(inputs) if ix is None else ix
    add_variables(m, inputs, ix)
    add_delivery_lag(m, inputs, ix)
    add_production_capacity(m, inputs, ix)
    add_capacity_ramp(m, inputs, ix)
    add_capacity_expansion(m, inputs, ix)
    add_us_arms_sales(m, inputs, ix)
    add_budget(m, inputs, ix)
    add_capex_financing(m, inputs, ix)
    add_shortfall(m, inputs, ix)
    objective = shortfall_objective(m, inputs)
    if inputs.params.objective_mode == "epsilon":
        objective = objective + inputs.params.cost_tiebreak_weight * cost_expression(m, inputs, ix)
    m.add_objective(objective)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("planning model: %d variables, %d constraints", m.nvars, m.ncons)
    return m
