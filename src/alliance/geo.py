"""Distances on the Earth: the one great-circle formula every stage uses."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_KM", "great_circle_km"]

#: Mean Earth radius (IUGG) [km].
EARTH_RADIUS_KM: float = 6371.0088

FloatArray = npt.NDArray[np.float64]


def great_circle_km(
    lat1: FloatArray | float, lon1: FloatArray | float, lat2: FloatArray | float,
    lon2: FloatArray | float, radius_km: float = EARTH_RADIUS_KM,
) -> FloatArray:
    """Great-circle (haversine) distance between points in degrees [km], broadcasting.

    ``radius_km`` is the sphere's radius; the GIUK stage uses the rounded 6,371 km.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dp / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2.0) ** 2
    return np.asarray(2.0 * radius_km * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))
