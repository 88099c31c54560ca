"""The mobility stage: brigades per year, closure curves, bottlenecks and checks.

:func:`mobility_for` is the stage function's body (pure: Dataset tables,
Scenario, the plan's deliveries in; tidy tables out). It computes

* ``brigades``: brigade equivalents per year, ally and type (order of battle +
  the plan's deliveries);
* per scenario year, the closure at the deterrence window (the hours the
  crisis model looks at), which :func:`alliance.assessment.deterrence_inputs`
  turns into combat power;
* for the first scenario year, the network's closure curve by day per
  assembly area over ``mobility.horizon_days`` and the bottlenecks (minimum cut);
* the Allied Reaction Force and Steadfast Dart checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from alliance.data import Dataset
from alliance.deterrence.inputs import (
    ForceInputs,
    YearForces,
    brigade_power,
    force_inputs_from_closure,
)
from alliance.memo import TableMemo, per_result
from alliance.mobility.checks import ARF_DAYS, arf_check, steadfast_dart_2026
from alliance.mobility.closure import ClosureResult, closure_for_year
from alliance.mobility.forces import brigades_for_year, plan_brigade_equivalents
from alliance.params import PROBE_TYPES, MobilityParams
from alliance.scenario import Scenario

__all__ = [
    "MOBILITY_TABLES",
    "AttachedFrame",
    "MobilityResult",
    "closure_table",
    "deterrence_hours",
    "force_inputs",
    "mobility_cached",
    "mobility_for",
    "mobility_summary",
]


@dataclass(frozen=True)
class MobilityResult:
    """What the mobility stage produces (tidy tables; closures per year)."""

    brigades: pd.DataFrame
    """``year, ally, brigade_type, brigades``: brigade equivalents (counted + plan)."""
    plan_brigades: pd.DataFrame
    """``iso3, year, brigade_equivalents``: heavy brigades the plan's deliveries equip."""
    closure: pd.DataFrame
    """``year, area, host, day, vehicles, brigades_at_start, brigades_in_theatre``: all
    allies sending everything, in the first and the last scenario year."""
    bottlenecks: pd.DataFrame
    """``year, area, capacity_vehicles_per_day, link_ids``: the minimum cut per area."""
    checks: dict[str, Any]
    """``arf_standard_met``, ARF troops by day 10, Steadfast Dart closure day, tolerance."""
    deterrence_closure: dict[int, ClosureResult]
    """Per year: closure over the deterrence window (read by deterrence_inputs)."""


def deterrence_hours(scenario: Scenario) -> int:
    """Hours the crisis model looks at: the longest time to objective + warning."""
    p = scenario.deterrence
    longest = max(p.probe(k).time_to_objective_max_h for k in PROBE_TYPES)
    return int(math.ceil(longest + p.strategic_warning_h)) + 1


def mobility_for(
    tables: dict[str, pd.DataFrame], scenario: Scenario, deliveries: pd.DataFrame,
) -> MobilityResult:
    """The stage (module docstring). ``tables``: the Dataset's tables by name."""
    plan_be = plan_brigade_equivalents(deliveries, tables["order_of_battle"], scenario.years,
                                       scenario.mobility)
    return _mobility_with_plan_brigades(tables, scenario, plan_be)


#: One year's closure by the contents of the tables it is built from (nodes, links,
#: allies, order of battle), the plan's brigades of that year and the rest of its
#: arguments: a year whose brigades and US commitment did not move (another lever
#: changed) is not computed again. Read-only results.
_CLOSURES: TableMemo[ClosureResult] = TableMemo(256)


def _plan_rows_by_year(plan_be: pd.DataFrame) -> dict[int, tuple[tuple[str, float], ...]]:
    """The plan's brigade equivalents per year as ``(iso3, equivalents)``, the ones > 0.

    What :func:`brigades_for_year` reads of ``plan_be`` for a year: a memo key.
    """
    rows: dict[int, list[tuple[str, float]]] = {}
    for iso3, year, equivalents in zip(plan_be["iso3"].tolist(), plan_be["year"].tolist(),
                                       plan_be["brigade_equivalents"].tolist(), strict=True):
        if equivalents > 0:
            rows.setdefault(int(year), []).append((str(iso3), float(equivalents)))
    return {year: tuple(r) for year, r in rows.items()}


@dataclass(frozen=True)
class _YearInputs:
    """What one year's closure is built from, besides the four tables."""

    params: MobilityParams
    params_json: str  # params.model_dump_json(), computed once per stage run
    plan_rows: tuple[tuple[str, float], ...]  # the plan's brigades of the year
    year: int
    us_forces_in_place: float
    us_reinforcements: float


def _closure(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame],
    brigades: pd.DataFrame, given: _YearInputs, **options: Any,
) -> ClosureResult:
    """:func:`closure_for_year` of one year, memoised (:data:`_CLOSURES`).

    ``tables`` are ``(nodes, links, allies, order of battle)``; ``brigades`` are that
    year's brigades (:func:`brigades_for_year` of the order of battle, the allies and
    ``given.plan_rows``), so the key holds the tables and ``given``, not the brigades.
    """
    nodes, links, allies, _ = tables
    key = (given.params_json, given.plan_rows, given.year, given.us_forces_in_place,
           given.us_reinforcements, tuple(sorted(options.items())))
    return _CLOSURES.get(tables, key, lambda: closure_for_year(
        nodes, links, allies, brigades, given.params, given.year, given.us_forces_in_place,
        given.us_reinforcements, **options))


# Long by design: the stage's fixed sequence (brigades and closures per year, the full
# closure and cuts of the first and last year, the two checks) reads best in one place.
def _mobility_with_plan_brigades(
    tables: dict[str, pd.DataFrame], scenario: Scenario, plan_be: pd.DataFrame,
) -> MobilityResult:
    """:func:`mobility_for` once the plan's deliveries are brigade equivalents."""
    p = scenario.mobility
    nodes, links, allies = tables["corridor_nodes"], tables["corridor_links"], tables["allies"]
    oob = tables["order_of_battle"]
    years = scenario.years
    us = scenario.us_commitment
    hours = deterrence_hours(scenario)
    per_year: dict[int, ClosureResult] = {}
    brigades_by_year = {year: brigades_for_year(oob, allies, year, plan_be) for year in years}
    tables_in = (nodes, links, allies, oob)
    params_json, plan_rows = p.model_dump_json(), _plan_rows_by_year(plan_be)
    given = {year: _YearInputs(p, params_json, plan_rows.get(year, ()), year,
                               float(us.forces_in_place.at(year)),
                               float(us.reinforcements.at(year))) for year in years}
    brigade_rows = []
    for year, b in brigades_by_year.items():
        brigade_rows.append(b.groupby(["ally", "brigade_type"], as_index=False)[
            "brigade_equivalents"].sum().assign(year=year))
        per_year[year] = _closure(tables_in, b, given[year], horizon_h=hours, bottlenecks=False)
    first = years[0]
    b0 = brigades_by_year[first]
    closures, cuts = [], []
    for year in sorted({first, years[-1]}):
        full = _closure(tables_in, brigades_by_year[year], given[year],
                        every=max(int(round(24.0 / p.time_step_h)), 1), credit_allies=False)
        closures.append(closure_table(full, year, p.vehicles_heavy))
        cuts.append(full.bottlenecks.assign(year=year))
    closure = pd.concat(closures, ignore_index=True)
    arf = arf_check(nodes, links, b0, p)
    sd = steadfast_dart_2026(nodes, links, p)
    checks = {
        "arf_standard_met": arf.met,
        "arf_area": arf.area,
        "arf_troops": arf.troops,
        "arf_troops_by_day_10": arf.troops_by_deadline,
        "arf_day_complete": arf.day_complete,
        "arf_deadline_days": ARF_DAYS,
        "steadfast_dart_vehicles": sd.vehicles,
        "steadfast_dart_closure_day": sd.closure_day,
        "steadfast_dart_tolerance_days": list(sd.tolerance_days),
        "steadfast_dart_within_tolerance": sd.within_tolerance,
    }
    brigades = pd.concat(brigade_rows, ignore_index=True).rename(
        columns={"brigade_equivalents": "brigades"})[["year", "ally", "brigade_type", "brigades"]]
    return MobilityResult(
        brigades=brigades,
        plan_brigades=plan_be,
        closure=closure,
        bottlenecks=pd.concat(cuts, ignore_index=True)[
            ["year", "area", "capacity_vehicles_per_day", "link_ids"]],
        checks=checks,
        deterrence_closure=per_year,
    )


def closure_table(result: ClosureResult, year: int, vehicles_per_brigade: float) -> pd.DataFrame:
    """Brigades in theatre by day per area, all allies sending everything.

    ``brigades_in_theatre`` = the host's forward presence and brigades in place at
    the start + arrived vehicles / ``vehicles_per_brigade`` (a heavy brigade's
    vehicles: arrivals in heavy-brigade equivalents).
    """
    per_day = max(int(round(24.0 / result.step_h)), 1)
    joint = result.joint.loc[result.joint["step"] % per_day == 0]
    hosts = result.targets.loc[result.targets["has_area"]].set_index("area")["iso3"]
    fwd = result.forward.groupby("target")["brigades"].sum()
    own = result.in_place.groupby("target")["brigades"].sum()
    host_of = {str(a): str(h) for a, h in hosts.items()}
    fwd_of, own_of = fwd.to_dict(), own.to_dict()
    rows = []
    for area, step, arrived in zip(joint["area"].tolist(), joint["step"].tolist(),
                                   joint["vehicles"].tolist(), strict=True):
        host = host_of.get(str(area), "")
        start = float(fwd_of.get(host, 0.0)) + float(own_of.get(host, 0.0))
        vehicles = float(arrived)
        rows.append((year, str(area), host, int(step) // per_day, vehicles,
                     start, start + vehicles / vehicles_per_brigade))
    return pd.DataFrame(rows, columns=["year", "area", "host", "day", "vehicles",
                                       "brigades_at_start", "brigades_in_theatre"])


class AttachedFrame:
    """A table carried in another frame's ``attrs`` (equality by identity, see ForceInputs)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __deepcopy__(self, memo: dict[int, object]) -> AttachedFrame:
        """Itself: the attached table is read, never modified (see ForceInputs)."""
        return self


#: Whole stage results by the contents of the tables and the plan's brigades, and the
#: scenario fields the stage reads.
_RUNS: TableMemo[MobilityResult] = TableMemo(32)


def mobility_cached(
    dataset: Dataset, scenario: Scenario, deliveries: pd.DataFrame,
) -> MobilityResult:
    """:func:`mobility_for` on the Dataset's tables, memoised on everything it reads.

    Same inputs, same result: the key holds the scenario fields the stage reads,
    the fingerprints of :data:`MOBILITY_TABLES` and the plan's brigades. The plan's
    deliveries enter as the brigade equivalents they equip (the stage reads nothing
    else of them), so a plan that buys other kit differently (a sustainment or
    pooling lever) finds the result here.
    """
    # the loaded frames themselves (read, never modified): the memos below know them
    tables = dict(zip(MOBILITY_TABLES, dataset.frames(MOBILITY_TABLES), strict=True))
    plan_be = plan_brigade_equivalents(deliveries, tables["order_of_battle"], scenario.years,
                                       scenario.mobility)
    key = (
        scenario.mobility.model_dump_json(),
        # the forces read these two US paths only (not sustainment or arms sales)
        scenario.us_commitment.forces_in_place.model_dump_json(),
        scenario.us_commitment.reinforcements.model_dump_json(),
        deterrence_hours(scenario), tuple(scenario.years),
    )
    return _RUNS.get((*(tables[n] for n in MOBILITY_TABLES), plan_be), key,
                     lambda: _mobility_with_plan_brigades(tables, scenario, plan_be))


@per_result(512)
def _year_forces(closure: ClosureResult, iso3: tuple[str, ...],
                 power: tuple[tuple[str, float], ...], hours: int) -> YearForces:
    """One year's combat power from its closure, memoised.

    A closure reused from the closure memo is the same object, so its forces are
    not built again.
    """
    c = closure
    return force_inputs_from_closure(iso3, c.forward, c.in_place, c.curves, c.targets,
                                     c.step_h, dict(power), hours)


def force_inputs(
    result: MobilityResult, iso3: tuple[str, ...], scenario: Scenario
) -> ForceInputs:
    """Combat power per year for the crisis model, from the stage's closures."""
    hours = deterrence_hours(scenario)
    power = tuple(sorted(brigade_power(scenario.deterrence).items()))
    years = {year: _year_forces(c, iso3, power, hours)
             for year, c in result.deterrence_closure.items()}
    p = scenario.mobility
    source = (
        f"mobility stage: order of battle + plan deliveries, closure on the corridor network "
        f"(permits {p.permit_regime}, US lift {'on' if p.us_strategic_lift else 'off'}, "
        f"Rail Baltica {'open' if p.rail_baltica_open else 'closed'}, cut links "
        f"{', '.join(p.cut_links) or 'none'})"
    )
    return ForceInputs(years=years, source=source)


MOBILITY_TABLES: tuple[str, ...] = ("corridor_nodes", "corridor_links", "allies",
                                    "order_of_battle")


#: RAND RR-1253's posture: about seven brigades (three heavy) in the Baltic theatre.
RAND_BRIGADES = 7.0


def mobility_summary(result: MobilityResult) -> dict[str, Any]:
    """Headline figures of the mobility stage.

    Brigades in theatre at day 0/10/30 per area in the last scenario year, the closure
    day (first day with RAND's seven brigades in theatre; None beyond the horizon),
    bottlenecks, checks (ARF and Steadfast Dart: first year).
    """
    closure = result.closure
    last = int(closure["year"].max())
    closure = closure.loc[closure["year"] == last]
    areas: dict[str, Any] = {"year": last}
    for area, g in closure.groupby("area", sort=False):
        by_day = g.set_index("day")["brigades_in_theatre"]
        reached = by_day.index[by_day >= RAND_BRIGADES]
        areas[str(area)] = {
            **{f"brigades_day_{d}": round(float(by_day.loc[d]), 3)
               for d in (0, 10, 30) if d in by_day.index},
            "day_seven_brigades": None if reached.empty else int(reached.min()),
        }
    cuts = {str(r["area"]): str(r["link_ids"]).split()
            for r in result.bottlenecks.to_dict("records") if int(r["year"]) == last}
    return {"areas": areas, "bottlenecks": cuts, **result.checks}
