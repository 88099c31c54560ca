"""The US commitment to European defence over time: the scenario's main lever."""

from __future__ import annotations

from pydantic import Field

from alliance.params._base import ParamsModel
from alliance.params.paths import FractionPath

__all__ = ["USCommitment"]


def _full() -> FractionPath:
    return FractionPath({2025: 1.0})


class USCommitment(ParamsModel):
    """The US commitment to European defence over time (1 = today's level, 0 = none)."""

    forces_in_place: FractionPath = Field(
        default_factory=_full,
        description="US forces stationed in Europe as a fraction of the 2025 posture "
        "(about 80,000-100,000 troops, see us_posture table) [fraction 0-1, by year].",
    )
    reinforcements: FractionPath = Field(
        default_factory=_full,
        description="US crisis reinforcements NATO plans count on, as a fraction of the "
        "planned flow [fraction 0-1, by year].",
    )
    sustainment: FractionPath = Field(
        default_factory=_full,
        description="US sustainment (spares, software, maintenance) of US-made equipment "
        "in European hands [fraction 0-1, by year]; below 1, availability decays.",
    )
    arms_sales: FractionPath = Field(
        default_factory=_full,
        description="US arms sales to European allies, as a fraction of unrestricted sales "
        "[fraction 0-1, by year]; caps purchases of US-made systems in planning.",
    )
