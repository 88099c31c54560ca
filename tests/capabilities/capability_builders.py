"""Builders of small hand-made capability datasets for the gap-model tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from alliance.capabilities import baseline_table
from alliance.catalogue import capability_catalogue

HOLDINGS_COLUMNS = [
    "record_id", "capability", "holder", "holder_kind", "iso3", "system", "system_family",
    "origin", "us_made", "quantity", "unit", "quantity_basis", "as_of_year", "counted",
    "not_counted_reason", "reliability", "reliability_detail", "source", "note", "derived",
]
CATALOGUE = capability_catalogue()


def holdings_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A capability_holdings table from short row dicts (capability, holder, quantity, us_made)."""
    out = []
    for i, r in enumerate(rows):
        holder = r["holder"]
        kind = r.get("holder_kind") or (
            "us_total" if holder == "USA_TOTAL" else
            "us_in_europe" if holder == "USA_EUCOM" else
            "nato_common" if holder == "NATO_COMMON" else
            "europe_aggregate" if holder == "EUR" else "ally")
        cap = r["capability"]
        out.append({
            "record_id": r.get("record_id", f"{holder}.{cap}.{i}"),
            "capability": cap,
            "holder": holder,
            "holder_kind": kind,
            "iso3": "USA" if holder.startswith("USA") else (holder if kind == "ally" else None),
            "system": r.get("system", f"system {i}"),
            "system_family": r.get("system_family", f"family {i}"),
            "origin": "USA" if r.get("us_made") else "XXX",
            "us_made": r.get("us_made", False),
            "quantity": r.get("quantity"),
            "unit": r.get("unit", CATALOGUE.unit(CATALOGUE.area_of(cap))),
            "quantity_basis": r.get("quantity_basis", "in_service"),
            "as_of_year": 2025,
            "counted": r.get("counted", True),
            "not_counted_reason": None,
            "reliability": "A",
            "reliability_detail": "A",
            "source": "https://example.org/",
            "note": None,
            "derived": None,
        })
    frame = pd.DataFrame(out, columns=HOLDINGS_COLUMNS)
    frame["us_made"] = frame["us_made"].astype("boolean")
    return frame


def requirements_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A capability_requirements table from (study_id, capability, kind, value, reference_stock)."""
    out = []
    for r in rows:
        low = r.get("value_low", r.get("value"))
        high = r.get("value_high", r.get("value"))
        out.append({
            "requirement_id": f"{r['study_id']}.{r['capability']}",
            "study_id": r["study_id"],
            "capability": r["capability"],
            "kind": r.get("kind", "additional"),
            "basis": r.get("basis", "force_package"),
            "value_low": low,
            "value_high": high,
            "unit": CATALOGUE.unit(r["capability"]),
            "reference_stock": r.get("reference_stock"),
            "replaces_us": r.get("replaces_us", True),
        })
    return pd.DataFrame(out, columns=["requirement_id", "study_id", "capability", "kind", "basis",
                                      "value_low", "value_high", "unit", "reference_stock",
                                      "replaces_us"])


def posture_frame(
    in_place: float | None = 100.0, reinforcement: float | None = 200.0
) -> pd.DataFrame:
    """A us_posture table with an EUR total and planned reinforcements (troops)."""
    rows = []
    if in_place is not None:
        rows.append({"host": "EUR", "year": 2025, "troops": in_place, "kind": "total",
                     "counted": True})
    if reinforcement is not None:
        rows.append({"host": "EUR", "year": 2025, "troops": reinforcement,
                     "kind": "reinforcement_planned", "counted": True})
    return pd.DataFrame(rows, columns=["host", "year", "troops", "kind", "counted"])


def families_frame() -> pd.DataFrame:
    """A system_families table with two hand-written rules: Abrams (US) and Leopard 2 (DEU)."""
    return pd.DataFrame({
        "match_order": [1, 2],
        "pattern": ["Abrams", "Leopard 2"],
        "family": ["M1 Abrams", "Leopard 2"],
        "origin": ["USA", "DEU"],
        "us_made": [True, False],
        "basis": ["test rule", "test rule"],
        "source": ["https://example.org/", "https://example.org/"],
        "source_grade": ["A", "A"],
    })


@dataclass
class FakeDataset:
    """The part of alliance.data.Dataset the capability stage uses.

    Without a ``capability_baseline`` table the frozen baseline is computed once,
    at construction, from the holdings given (as the build script does).
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if "capability_baseline" not in self.tables and "capability_holdings" in self.tables:
            self.tables["capability_baseline"] = baseline_table(self.tables["capability_holdings"])

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name].copy()

    def has_table(self, name: str) -> bool:
        return name in self.tables

    def frames(self, names: Iterable[str]) -> tuple[pd.DataFrame, ...]:
        return tuple(self.tables[n] for n in names)


def allies_frame(codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"iso3": codes})
