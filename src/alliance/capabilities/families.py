"""System families: which named systems are the same kind of kit, and where they come from.

The capability data name systems as sources wrote them ("Patriot fire unit
(combat-ready)", "F-35A Husarz (ordered)"). A *family* groups those names so
that a holding can be matched to a unit cost in the ``systems`` table and so
that its origin (US-made or not) is assigned by one rule, reviewable here.

Origin is the country (ISO3) of the design authority, "multinational
(European)" for European cooperative programmes, or "mixed"/"unknown" where a
row lumps systems of several origins (then ``us_made`` is unknown, not False).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FAMILIES", "Family", "family_of"]

EUROPEAN_MULTI = "multinational (European)"


@dataclass(frozen=True)
class Family:
    """A family of systems: a name pattern, its family name, origin and US-made flag."""

    pattern: str
    name: str
    origin: str
    us_made: bool | None

    def matches(self, system: str) -> bool:
        """True when ``system`` (a name as a source wrote it) belongs to this family."""
        return re.search(self.pattern, system, flags=re.IGNORECASE) is not None


#: Families in matching order (first match wins).
FAMILIES: tuple[Family, ...] = (
    Family(r"mixed \(|all artillery", "mixed", "mixed", None),
    Family(r"\bKC-135", "KC-135", "USA", True),
    Family(r"\bRC-135", "RC-135", "USA", True),
    Family(r"\bC-17", "C-17", "USA", True),
    Family(r"\bC-5M?\b", "C-5", "USA", True),
    Family(r"A400M", "A400M", EUROPEAN_MULTI, False),
    Family(r"A330 MRTT|heavy tanker", "A330 MRTT", EUROPEAN_MULTI, False),
    Family(r"KC-767", "KC-767", "USA", True),
    Family(r"KC-46", "KC-46", "USA", True),
    Family(r"\bE-3", "E-3", "USA", True),
    Family(r"\bE-7", "E-7", "USA", True),
    Family(r"GlobalEye", "GlobalEye", "SWE", False),
    Family(r"\bP-8", "P-8", "USA", True),
    Family(r"\bRQ-4", "RQ-4", "USA", True),
    Family(r"\bMQ-9", "MQ-9", "USA", True),
    Family(r"Tornado", "Tornado", EUROPEAN_MULTI, False),
    Family(r"EA-18G", "EA-18G", "USA", True),
    Family(r"Taurus", "Taurus", EUROPEAN_MULTI, False),
    Family(r"Tomahawk", "Tomahawk", "USA", True),
    Family(r"JASSM", "JASSM", "USA", True),
    Family(r"Storm Shadow|SCALP", "Storm Shadow", EUROPEAN_MULTI, False),
    Family(r"Patriot|PAC-3", "Patriot", "USA", True),
    Family(r"SAMP/T", "SAMP/T", EUROPEAN_MULTI, False),
    Family(r"IRIS-T", "IRIS-T SLM", "DEU", False),
    Family(r"THAAD", "THAAD", "USA", True),
    Family(r"Aegis Ashore", "Aegis Ashore", "USA", True),
    Family(r"S-400", "S-400", "RUS", False),
    Family(r"F-35", "F-35", "USA", True),
    Family(r"F/A-18|CF-18", "F/A-18", "USA", True),
    Family(r"F-16", "F-16", "USA", True),
    Family(r"FA-50", "FA-50", "KOR", False),
    Family(r"Eurofighter|Typhoon", "Eurofighter", EUROPEAN_MULTI, False),
    Family(r"Rafale", "Rafale", "FRA", False),
    Family(r"Gripen", "Gripen", "SWE", False),
    Family(r"Leopard 2|Strv 122", "Leopard 2", "DEU", False),
    Family(r"Leopard 1", "Leopard 1", "DEU", False),
    Family(r"Leclerc", "Leclerc", "FRA", False),
    Family(r"Challenger", "Challenger", "GBR", False),
    Family(r"Ariete", "Ariete", "ITA", False),
    Family(r"\bM60", "M60", "USA", True),
    Family(r"Abrams", "M1 Abrams", "USA", True),
    Family(r"Bradley", "M2 Bradley", "USA", True),
    Family(r"Puma|Schakal", "Puma", "DEU", False),
    Family(r"Marder", "Marder", "DEU", False),
    Family(r"VBCI", "VBCI", "FRA", False),
    Family(r"Warrior", "Warrior", "GBR", False),
    Family(r"Dardo", "Dardo", "ITA", False),
    Family(r"Pizarro|ASCOD", "Pizarro", "ESP", False),
    Family(r"BWP-1|BMP-1", "BMP-1", "Soviet design", False),
    Family(r"Borsuk", "Borsuk", "POL", False),
    Family(r"CV90|CV9030|CV9035|Strf 90", "CV90", "SWE", False),
    Family(r"Lynx", "Lynx", "DEU", False),
    Family(r"Boxer", "Boxer", EUROPEAN_MULTI, False),
    Family(r"PzH 2000", "PzH 2000", "DEU", False),
    Family(r"CAESAR", "CAESAR", "FRA", False),
    Family(r"\bM109", "M109", "USA", True),
    Family(r"\bM270", "M270", "USA", True),
    Family(r"HIMARS|Homar-A", "HIMARS", "USA", True),
    Family(r"Homar-K|K239|Chunmoo", "K239 Chunmoo", "KOR", False),
    Family(r"\bK9", "K9", "KOR", False),
    Family(r"Krab", "Krab", "POL", False),
    Family(r"Astute", "Astute", "GBR", False),
    Family(r"Suffren", "Suffren", "FRA", False),
    Family(r"Type 45", "Type 45/Type 23", "GBR", False),
    Family(r"Arleigh Burke", "Arleigh Burke", "USA", True),
    Family(r"SSN \(Virginia", "US SSN", "USA", True),
    Family(r"satellites", "military satellites", "national", False),
    Family(r"personnel", "personnel", "national", False),
)


def family_of(system: str) -> Family | None:
    """The first family whose pattern matches ``system``, or None."""
    for fam in FAMILIES:
        if fam.matches(system):
            return fam
    return None
