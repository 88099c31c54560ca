"""The headline figures the golden reference guards, their tolerances and the comparison.

Shared by ``tests/golden/test_golden.py`` (compare) and ``scripts/update_golden.py``
(regenerate). A figure is addressed as ``(scenario, path)`` with a slash-separated path
into the scenario's summary, e.g. ``("europe-alone", "deterrence/2030/p_fait_accompli")``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The committed reference (written by scripts/update_golden.py).
REFERENCE = Path(__file__).with_name("summary.json")
#: How to regenerate it, quoted in every failure.
REGENERATE = (
    "If the change is intended, regenerate the reference with "
    "`.venv/bin/python scripts/update_golden.py` and review the diff of "
    "tests/golden/summary.json in git before committing it."
)
#: Top-level fields of summarise() that change without the model changing.
VOLATILE_FIELDS: tuple[str, ...] = ("alliance_version",)

# Tolerances, by what can move a figure without a change in the model:
#: Counts (allies at a pledge level) and years (gap closure) are integers: exact.
EXACT = (0.0, 0.0)
#: Money and shares are sums of a few hundred products of table values; only the
#: summation order of a pandas/NumPy upgrade can move them, far below 1e-6 relative.
MONEY_REL, MONEY_ABS = 1e-6, 0.0
#: Gaps and requirements [area units] are the same sums; the absolute part absorbs
#: round-off around a gap of zero.
GAP_REL, GAP_ABS = 1e-6, 1e-6
#: The plan's cost comes from an LP solve (HiGHS) whose optimum can be degenerate in
#: cost: another vertex of equal shortfall, found by a solver update, may cost a
#: little more or less. 1e-4 relative is well below any change worth reporting.
COST_REL, COST_ABS = 1e-4, 0.0
#: Probabilities of the crisis Monte Carlo: same seed and draws, same random numbers,
#: so only floating-point round-off remains.
PROB_REL, PROB_ABS = 0.0, 1e-9


@dataclass(frozen=True)
class Figure:
    """One headline figure and how far it may move (relative and absolute tolerance)."""

    value: Any
    rel: float
    abs: float


@dataclass(frozen=True)
class Difference:
    """A figure that moved beyond its tolerance (or appeared, or went missing)."""

    scenario: str
    path: str
    reference: Any
    now: Any

    def line(self) -> str:
        """``scenario / path: reference -> now (delta)``."""
        return (
            f"{self.scenario} / {self.path}: {_show(self.reference)} -> {_show(self.now)} "
            f"({_delta(self.reference, self.now)})"
        )


_MISSING = object()


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(missing)"
    if isinstance(value, float):
        return f"{value:.10g}"
    return repr(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _delta(reference: Any, now: Any) -> str:
    if not (_is_number(reference) and _is_number(now)):
        return "changed"
    delta = now - reference
    if reference == 0:
        return f"{delta:+.6g}"
    return f"{delta:+.6g}, {100.0 * delta / abs(reference):+.4g} %"


def reference_summary(summary: Mapping[str, Any]) -> dict[str, Any]:
    """``summary`` without the fields that change without the model changing."""
    return {k: v for k, v in summary.items() if k not in VOLATILE_FIELDS}


def _scenario_figures(s: Mapping[str, Any]) -> Iterator[tuple[str, Figure]]:
    spending = s["spending"]
    for when in ("report_year", "horizon"):
        at = spending[when]
        for count in ("allies_at_2pct", "allies_at_3_5pct", "allies_at_5pct"):
            yield f"spending/{when}/{count}", Figure(at[count], *EXACT)
        for money in ("nato_total_musd_current", "us_share_pct"):
            yield f"spending/{when}/{money}", Figure(at[money], MONEY_REL, MONEY_ABS)
    for row in s["gaps"]["capabilities"]:
        for name in ("gap_report_year", "requirement_report_year"):
            yield f"gaps/{row['capability']}/{name}", Figure(row[name], GAP_REL, GAP_ABS)
    plan = s["plan"]
    for area, year in plan["closure_year"].items():
        yield f"plan/closure_year/{area}", Figure(year, *EXACT)
    yield "plan/total_cost_musd", Figure(plan["total_cost_musd"], COST_REL, COST_ABS)
    for row in s["deterrence"]["per_year"]:
        for name in ("p_probe", "p_fait_accompli"):
            yield f"deterrence/{row['year']}/{name}", Figure(row[name], PROB_REL, PROB_ABS)
    # GIUK barrier (issue 12): closed forms, so only round-off moves them; counts exact.
    asw = s.get("asw")
    if asw is not None:
        for key in ("p_detect", "p_detect_without_us"):
            for leg, p in asw[key].items():
                yield f"asw/{leg}/{key}", Figure(p, PROB_REL, PROB_ABS)
        for key in ("mpa_needed", "frigates_needed"):
            yield f"asw/{key}", Figure(asw[key], *EXACT)


def headline(summary: Mapping[str, Any]) -> dict[tuple[str, str], Figure]:
    """Every headline figure of a summarise() dict, keyed by (scenario, path)."""
    return {
        (name, path): figure
        for name, s in summary["scenarios"].items()
        for path, figure in _scenario_figures(s)
    }


def _moved(reference: Figure, now: Figure) -> bool:
    a, b = reference.value, now.value
    if _is_number(a) and _is_number(b):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return False
        return not math.isclose(a, b, rel_tol=reference.rel, abs_tol=reference.abs)
    return a != b  # None (not closed, no figure) against a number, or other values


def compare(reference: Mapping[str, Any], current: Mapping[str, Any]) -> list[Difference]:
    """Headline figures of ``current`` that moved from ``reference``, in reference order
    (figures only one side has are differences too)."""
    ref, now = headline(reference), headline(current)
    out = []
    for key in [*ref, *(k for k in now if k not in ref)]:
        a, b = ref.get(key), now.get(key)
        if a is None or b is None or _moved(a, b):
            out.append(
                Difference(
                    *key, _MISSING if a is None else a.value, _MISSING if b is None else b.value
                )
            )
    return out


def report(differences: list[Difference]) -> str:
    """A readable failure message: one line per moved figure, then how to regenerate."""
    lines = [f"{len(differences)} headline figure(s) moved from tests/golden/summary.json:"]
    lines += [f"  {d.line()}" for d in differences]
    lines.append(REGENERATE)
    return "\n".join(lines)
