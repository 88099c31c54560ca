"""The barrier's geometry from the bundled tables: legs, bases, distances, time on station."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from alliance.errors import ModelError

__all__ = [
    "Base",
    "Leg",
    "P8Performance",
    "bases_from_table",
    "legs_from_table",
    "p8_from_table",
    "time_on_station_h",
]

@dataclass(frozen=True)
class Leg:
    """One barrier leg: its width across the transit direction and a map polyline."""

    leg: str
    name: str
    width_km: float
    lats: tuple[float, ...]
    lons: tuple[float, ...]

    @property
    def centre(self) -> tuple[float, float]:
        """Mean of the polyline's points (lat, lon): where patrol aircraft fly to."""
        return sum(self.lats) / len(self.lats), sum(self.lons) / len(self.lons)


@dataclass(frozen=True)
class Base:
    """A maritime patrol base and the holders flying from it."""

    base: str
    lat: float
    lon: float
    operators: tuple[str, ...]


@dataclass(frozen=True)
class P8Performance:
    """Published P-8 figures (asw_sensors table) and the endurance they imply."""

    cruise_speed_kmh: float
    combat_radius_km: float
    time_on_station_at_radius_h: float

    @property
    def endurance_h(self) -> float:
        """Mission endurance [h] = time on station at the radius + out-and-back transit."""
        return (
            self.time_on_station_at_radius_h + 2.0 * self.combat_radius_km / self.cruise_speed_kmh
        )


def time_on_station_h(p8: P8Performance, distance_km: float) -> float:
    """Hours on station per sortie at ``distance_km`` from base (0 when out of reach)."""
    return max(0.0, p8.endurance_h - 2.0 * distance_km / p8.cruise_speed_kmh)


def legs_from_table(table: pd.DataFrame) -> list[Leg]:
    """Legs of the ``giuk_legs`` table; a ModelError names a zero or negative width."""
    legs: list[Leg] = []
    for row in table.to_dict("records"):
        width = float(row["width_km"])
        if not width > 0:
            msg = f"giuk_legs.width_km: expected a width > 0 km for {row['leg']}, found {width:g}"
            raise ModelError(msg)
        lats, lons = [float(row["start_lat"])], [float(row["start_lon"])]
        if pd.notna(row["mid_lat"]) and pd.notna(row["mid_lon"]):
            lats.append(float(row["mid_lat"]))
            lons.append(float(row["mid_lon"]))
        lats.append(float(row["end_lat"]))
        lons.append(float(row["end_lon"]))
        legs.append(Leg(str(row["leg"]), str(row["name"]), width, tuple(lats), tuple(lons)))
    return legs


def bases_from_table(table: pd.DataFrame) -> list[Base]:
    """Bases of the ``asw_bases`` table."""
    return [
        Base(
            str(r["base"]),
            float(r["lat"]),
            float(r["lon"]),
            tuple(str(r["mpa_operators"]).split("|")),
        )
        for r in table.to_dict("records")
    ]


def p8_from_table(table: pd.DataFrame) -> P8Performance:
    """P-8 performance from the ``asw_sensors`` table."""
    values = table.loc[table["sensor"] == "p8"].set_index("parameter")["value"]
    try:
        return P8Performance(
            cruise_speed_kmh=float(values["cruise_speed_kmh"]),
            combat_radius_km=float(values["combat_radius_km"]),
            time_on_station_at_radius_h=float(values["time_on_station_at_radius_h"]),
        )
    except KeyError as exc:
        msg = f"asw_sensors: missing P-8 parameter {exc.args[0]!r}"
        raise ModelError(msg) from None
