"""The offline map of NATO: Natural Earth country outlines as small SVG paths.

The geometry is Natural Earth 1:50m Admin 0 countries (public domain), as
packaged in TopoJSON by the npm package ``world-atlas`` 2.0.2
(``countries-50m.json``, ISC licence). It was converted once with
``python -m alliance.report.natural_earth countries-50m.json`` into
``assets/nato_map.json`` (projected, simplified SVG path strings per ISO 3166
alpha-3 code); the report and the dashboard read that file and never fetch
anything.

Two panels share one SVG: Europe (longitude -48..45, latitude 34..72) and, as
an inset over the Atlantic, North America (the United States and Canada,
-170..-50, 24..84).
Each is an equirectangular projection scaled by the cosine of its middle
latitude, which is accurate enough to recognise countries; it is not for
measuring distances.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["MAP_FILE", "NUMERIC_TO_ISO3", "Panel", "decode_arcs", "nato_map", "simplify"]

MAP_FILE = "assets/nato_map.json"

#: ISO 3166-1 numeric code (world-atlas feature ids) -> alpha-3, for the 32 allies
#: and the neighbours drawn in grey for context.
NUMERIC_TO_ISO3: dict[str, str] = {
    "008": "ALB", "056": "BEL", "100": "BGR", "124": "CAN", "191": "HRV", "203": "CZE",
    "208": "DNK", "233": "EST", "246": "FIN", "250": "FRA", "276": "DEU", "300": "GRC",
    "348": "HUN", "352": "ISL", "380": "ITA", "428": "LVA", "440": "LTU", "442": "LUX",
    "499": "MNE", "528": "NLD", "807": "MKD", "578": "NOR", "616": "POL", "620": "PRT",
    "642": "ROU", "703": "SVK", "705": "SVN", "724": "ESP", "752": "SWE", "792": "TUR",
    "826": "GBR", "840": "USA",
    # context (not allies)
    "643": "RUS", "112": "BLR", "804": "UKR", "498": "MDA", "688": "SRB", "070": "BIH",
    "756": "CHE", "040": "AUT", "372": "IRL", "196": "CYP", "470": "MLT", "438": "LIE",
    "268": "GEO", "051": "ARM", "031": "AZE", "434": "LBY", "788": "TUN",
    "012": "DZA", "504": "MAR", "304": "GRL", "020": "AND",
    "492": "MCO", "674": "SMR",
}


class Panel:
    """One projected panel: a lon/lat box drawn into a pixel box of the SVG.

    Args:
        lon: (west, east) [degrees].
        lat: (south, north) [degrees].
        origin: Top-left corner of the panel in the SVG [px].
        width: Panel width [px]; the height follows from the projection.
    """

    def __init__(self, lon: tuple[float, float], lat: tuple[float, float],
                 origin: tuple[float, float], width: float) -> None:
        self.lon, self.lat, self.origin, self.width = lon, lat, origin, width
        self.kx = math.cos(math.radians((lat[0] + lat[1]) / 2))
        self.scale = width / ((lon[1] - lon[0]) * self.kx)
        self.height = (lat[1] - lat[0]) * self.scale

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel position of a point [px]."""
        x = self.origin[0] + (lon - self.lon[0]) * self.kx * self.scale
        y = self.origin[1] + (self.lat[1] - lat) * self.scale
        return x, y

    def touches(self, ring: Sequence[tuple[float, float]]) -> bool:
        """Whether a lon/lat ring's bounding box overlaps the panel's box."""
        lons = [p[0] for p in ring]
        lats = [p[1] for p in ring]
        return (max(lons) >= self.lon[0] and min(lons) <= self.lon[1]
                and max(lats) >= self.lat[0] and min(lats) <= self.lat[1])


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The arcs of a quantised TopoJSON topology as lon/lat point lists."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker simplification of a polyline (same units as ``tolerance``)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            # a closed ring starts and ends on one point: distance to that point
            d = (abs(dy * (px - ax) - dx * (py - ay)) / norm if norm > 0
                 else math.hypot(px - ax, py - ay))
            if d > best:
                best, index = d, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack.extend(((a, index), (index, b)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _path(rings: list[list[tuple[float, float]]], panel: Panel, tolerance: float) -> str:
    parts = []
    for ring in rings:
        lons = [p[0] for p in ring]
        if not panel.touches(ring) or max(lons) - min(lons) > 180:  # antimeridian: Chukotka
            continue
        xy = simplify([panel.project(*p) for p in ring], tolerance)
        if len(xy) < 3:
            continue
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


def nato_map(topology: dict[str, Any], tolerance: float = 1.4) -> dict[str, Any]:
    """Projected SVG paths of the countries in :data:`NUMERIC_TO_ISO3`.

    Returns ``{"width", "height", "panels": [...], "countries": {iso3: {"name", "d",
    "panel"}}, "source"}``; ``d`` is an SVG path in the map's pixel space, ``panel``
    is ``main`` or ``inset`` (drawn after the inset's frame).
    """
    europe = Panel((-48.0, 45.0), (34.0, 72.0), (0.0, 0.0), 720.0)
    america = Panel((-170.0, -50.0), (24.0, 84.0), (4.0, 0.0), 230.0)
    america = Panel(america.lon, america.lat, (4.0, europe.height - america.height - 4.0), 230.0)
    arcs = decode_arcs(topology)
    countries: dict[str, dict[str, str]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        iso3 = NUMERIC_TO_ISO3.get(str(geometry.get("id")))
        if iso3 is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = (geometry["arcs"] if geometry["type"] == "MultiPolygon"
                    else [geometry["arcs"]])
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        panel = america if iso3 in ("USA", "CAN", "MEX", "GRL") else europe
        d = _path(rings, panel, tolerance)
        if d:
            countries[iso3] = {"name": str(geometry.get("properties", {}).get("name", iso3)),
                               "d": d, "panel": "inset" if panel is america else "main"}
    return {
        "width": europe.width, "height": round(europe.height, 1),
        "panels": [{"name": "North America", "x": america.origin[0], "y": america.origin[1],
                    "width": america.width, "height": round(america.height, 1)}],
        "countries": countries,
        "source": "Natural Earth 1:50m Admin 0 countries (public domain), via the npm package "
                  "world-atlas 2.0.2 (countries-50m.json)",
    }


def load_nato_map() -> dict[str, Any]:
    """The bundled map (``assets/nato_map.json``)."""
    text = resources.files("alliance.report").joinpath(MAP_FILE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def main(argv: Sequence[str]) -> None:
    """Convert a world-atlas ``countries-50m.json`` into ``assets/nato_map.json``."""
    source = Path(argv[0])
    out = Path(__file__).with_name("assets") / "nato_map.json"
    data = nato_map(json.loads(source.read_text("utf-8")))
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {out} ({out.stat().st_size / 1000:.0f} kB, "
                     f"{len(data['countries'])} countries)\n")


if __name__ == "__main__":
    main(sys.argv[1:])
