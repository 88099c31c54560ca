"""Paths over time: year -> value maps, linear between the given years, flat outside them."""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from pydantic import RootModel, field_validator

__all__ = ["FractionPath", "SharePath", "YearPath"]


class YearPath(RootModel[dict[int, float]]):
    """A year -> value map, linear between given years, flat outside them."""

    low: ClassVar[float] = 0.0
    high: ClassVar[float] = 1.0
    unit: ClassVar[str] = "fraction"

    @field_validator("root")
    @classmethod
    def _check(cls, value: dict[int, float]) -> dict[int, float]:
        if not value:
            raise ValueError("give at least one year: value pair")
        for year, v in value.items():
            if not 1949 <= year <= 2100:
                raise ValueError(f"year {year} outside 1949-2100")
            if not cls.low <= v <= cls.high:
                raise ValueError(f"{cls.unit} {v} for {year} outside {cls.low:g}-{cls.high:g}")
        return dict(sorted(value.items()))

    def at(self, year: int) -> float:
        """Value in ``year``: linear interpolation between given years, flat outside."""
        years = list(self.root)
        values = list(self.root.values())
        if year <= years[0]:
            return values[0]
        if year >= years[-1]:
            return values[-1]
        i = bisect_right(years, year)
        y0, y1 = years[i - 1], years[i]
        v0, v1 = values[i - 1], values[i]
        return v0 + (v1 - v0) * (year - y0) / (y1 - y0)


class FractionPath(YearPath):
    """A year -> fraction (0-1) path."""


class SharePath(YearPath):
    """A year -> share of GDP (percent, 0-100) path."""

    low: ClassVar[float] = 0.0
    high: ClassVar[float] = 100.0
    unit: ClassVar[str] = "share of GDP (percent)"
