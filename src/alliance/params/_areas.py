"""The one validator of per-area maps in parameters (area -> number), against the catalogue."""

from __future__ import annotations

import math

from alliance.catalogue import capability_catalogue

__all__ = ["check_area_map"]


def check_area_map(
    value: dict[str, float], field: str, *, high: float = math.inf, plannable_only: bool = False
) -> dict[str, float]:
    """Return ``value`` if its keys are capability areas and its values lie in [0, high].

    With ``plannable_only`` the keys must be areas the planning LP can buy (it is
    indexed by area). Raises ValueError naming the field, the key and what is allowed.
    """
    catalogue = capability_catalogue()
    allowed = catalogue.plannable_areas if plannable_only else catalogue.area_names
    unknown = catalogue.unknown_areas(value)
    if unknown:
        msg = f"{field}: unknown capability area {unknown[0]!r}; known areas: {', '.join(allowed)}"
        raise ValueError(msg)
    outside = sorted(k for k in value if k not in allowed)
    if outside:
        msg = (
            f"{field}: area {outside[0]!r} has no procurable system in the plan; plannable "
            f"areas: {', '.join(allowed)}"
        )
        raise ValueError(msg)
    for area, v in value.items():
        if not 0.0 <= v <= high:
            msg = f"{field}: value {v:g} for {area!r} is outside 0-{high:g}"
            raise ValueError(msg)
    return value
