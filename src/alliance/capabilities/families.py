"""System families: which named systems are the same kind of kit, and where they come from.

The capability data name systems as sources wrote them ("Patriot fire unit
(combat-ready)", "F-35A Husarz (ordered)"). A *family* groups those names so
that a holding can be matched to a unit cost in the ``systems`` table and so
that its origin (US-made or not) is assigned by one rule. The rules are data:
the bundled table ``system_families`` (pattern, family, origin, us_made, with the
design authority's page as source), tried in ``match_order``; the first match wins.

Origin is the country (ISO3) of the design authority, "multinational (European)"
for European cooperative programmes, or "mixed"/"unknown" where a row lumps
systems of several origins (then ``us_made`` is unknown, not False).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from alliance.errors import DataValidationError

__all__ = ["Family", "families_from_table", "family_of"]


@dataclass(frozen=True)
class Family:
    """A family of systems: a name pattern, its family name, origin and US-made flag."""

    pattern: re.Pattern[str]
    name: str
    origin: str
    us_made: bool | None

    def matches(self, system: str) -> bool:
        """True when ``system`` (a name as a source wrote it) belongs to this family."""
        return self.pattern.search(system) is not None


def families_from_table(table: pd.DataFrame) -> tuple[Family, ...]:
    """The families of a ``system_families`` table, in matching order.

    A pattern that is not a valid regular expression is a DataValidationError
    naming the row.
    """
    out: list[Family] = []
    for row in table.sort_values("match_order").to_dict("records"):
        try:
            pattern = re.compile(str(row["pattern"]), flags=re.IGNORECASE)
        except re.error as exc:
            raise DataValidationError(
                "system_families", f"pattern {row['pattern']!r} is not a regular expression "
                f"({exc})", column="pattern", fix=f"correct the pattern of match_order "
                f"{row['match_order']}.",
            ) from None
        flag = row["us_made"]
        us_made = None if flag is None or flag is pd.NA else bool(flag)
        out.append(Family(pattern, str(row["family"]), str(row["origin"]), us_made))
    return tuple(out)


def family_of(system: str, families: Sequence[Family]) -> Family | None:
    """The first family whose pattern matches ``system``, or None."""
    for fam in families:
        if fam.matches(system):
            return fam
    return None
