"""The capability catalogue: which capability areas the model counts, as data.

``data/tables/capability_catalogue.csv`` lists every holdings code (the
``capability`` of ``capability_holdings`` and ``systems``) with its area, labels,
unit, whether the planning LP can buy it and how its requirement is set. Every
list of areas, label, unit and validator in the stages derives from this one
table. It is read with the standard library (no pandas) so that the parameter
models can validate area names without loading anything heavy; the Dataset loads
the same file through its data dictionary.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from io import StringIO

from alliance.errors import DataValidationError, ModelError

__all__ = [
    "CapabilityArea",
    "CapabilityCatalogue",
    "CapabilityCode",
    "ally_codes",
    "capability_catalogue",
]

_FILE = "capability_catalogue.csv"


@dataclass(frozen=True)
class CapabilityCode:
    """One holdings code: what a row of holdings or of the systems table counts."""

    code: str
    area: str
    label: str
    description: str


@dataclass(frozen=True)
class CapabilityArea:
    """A capability area: requirements and gaps are counted per area, in ``unit``."""

    area: str
    label: str
    unit: str
    plannable: bool
    requirement_basis: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class CapabilityCatalogue:
    """The catalogue: areas in table order and the codes that add up into each."""

    areas: tuple[CapabilityArea, ...]
    codes: tuple[CapabilityCode, ...]

    @property
    def area_names(self) -> tuple[str, ...]:
        """Area names in catalogue order."""
        return tuple(a.area for a in self.areas)

    @property
    def code_names(self) -> tuple[str, ...]:
        """Holdings codes in catalogue order."""
        return tuple(c.code for c in self.codes)

    @property
    def plannable_areas(self) -> tuple[str, ...]:
        """Areas the planning LP can buy systems for."""
        return tuple(a.area for a in self.areas if a.plannable)

    def area(self, name: str) -> CapabilityArea:
        """The area called ``name``; an unknown name is a ModelError listing the known ones."""
        for a in self.areas:
            if a.area == name:
                return a
        msg = f"unknown capability area {name!r}; known areas: {', '.join(self.area_names)}"
        raise ModelError(msg)

    def area_of(self, code: str) -> str:
        """Area of a holdings code (fighter_aircraft_5th_gen -> combat_aircraft)."""
        for c in self.codes:
            if c.code == code:
                return c.area
        msg = f"capability {code!r} belongs to no capability area; known: " + ", ".join(
            sorted(self.code_names)
        )
        raise ModelError(msg)

    def unit(self, area: str) -> str:
        """Unit an area is counted in (troops, vehicles, aircraft, ...)."""
        return self.area(area).unit

    def label(self, name: str) -> str:
        """Plain-language name of an area or a holdings code."""
        for a in self.areas:
            if a.area == name:
                return a.label
        for c in self.codes:
            if c.code == name:
                return c.label
        return name.replace("_", " ")

    def unknown_areas(self, names: Iterable[str]) -> list[str]:
        """The names in ``names`` that are not areas, sorted."""
        known = set(self.area_names)
        return sorted(n for n in names if n not in known)


def _bool(text: str, line: int) -> bool:
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    raise DataValidationError(
        _FILE, f"expected true or false, found {text!r}", line=line, column="plannable",
        fix="write true or false.",
    )


def parse_catalogue(text: str) -> CapabilityCatalogue:
    """Parse the catalogue CSV text; areas must agree on unit, label and flags."""
    rows = list(csv.DictReader(StringIO(text)))
    codes: list[CapabilityCode] = []
    areas: dict[str, CapabilityArea] = {}
    for line, row in enumerate(rows, start=2):
        code = CapabilityCode(row["code"], row["area"], row["label"], row["description"])
        codes.append(code)
        area = CapabilityArea(
            area=row["area"],
            label=row["area_label"],
            unit=row["unit"],
            plannable=_bool(row["plannable"], line),
            requirement_basis=row["requirement_basis"],
            codes=(),
        )
        known = areas.get(area.area)
        if known is None:
            areas[area.area] = area
        elif (known.label, known.unit, known.plannable, known.requirement_basis) != (
            area.label, area.unit, area.plannable, area.requirement_basis
        ):
            raise DataValidationError(
                _FILE, f"area {area.area!r} is described differently than on an earlier row",
                line=line, column="area",
                fix="give every row of an area the same area_label, unit, plannable and "
                "requirement_basis.",
            )
    members = {
        name: tuple(c.code for c in codes if c.area == name) for name in areas
    }
    return CapabilityCatalogue(
        areas=tuple(
            CapabilityArea(a.area, a.label, a.unit, a.plannable, a.requirement_basis,
                           members[a.area])
            for a in areas.values()
        ),
        codes=tuple(codes),
    )


@lru_cache(maxsize=1)
def capability_catalogue() -> CapabilityCatalogue:
    """The bundled capability catalogue (read once)."""
    text = (resources.files("alliance") / "data" / "tables" / _FILE).read_text(encoding="utf-8")
    return parse_catalogue(text)


@lru_cache(maxsize=1)
def ally_codes() -> frozenset[str]:
    """ISO3 codes of the allies in the bundled ``allies`` table (read once, no pandas)."""
    text = (resources.files("alliance") / "data" / "tables" / "allies.csv").read_text(
        encoding="utf-8"
    )
    return frozenset(row["iso3"] for row in csv.DictReader(StringIO(text)))
