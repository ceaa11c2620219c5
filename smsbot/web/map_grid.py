"""What the map shows of a city's shops: those in the map's view, and, when the view holds
more than a map can draw, grid clusters (a count and a centre per cell of about CELL_PX
screen pixels at the map's zoom), so `/peta.json` stays small however many shops there are.

Views are Leaflet's `map.getBounds().toBBoxString()`: "west,south,east,north" in degrees.
"""

from __future__ import annotations

import math

import numpy as np

# Kota Payakumbuh (its kelurahan lie within): the view of a map that did not say its own.
CITY_VIEW = (100.58, -0.275, 100.69, -0.18)
CITY_ZOOM = 13
MAX_ZOOM = 19
MAX_MARKERS = 150  # shops sent one by one (about 300 bytes each); more in view: clusters
MAX_CELLS = 900  # clusters at most (about 45 bytes each): a screenful of 64 px cells
CELL_PX = 64


class BadView(ValueError):
    """A bbox or zoom that is not four numbers on the globe / a whole number."""


def parse_view(bbox: str | None) -> tuple[float, float, float, float] | None:
    if bbox is None:
        return None
    try:
        west, south, east, north = (float(part) for part in bbox.split(","))
    except ValueError:
        raise BadView from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise BadView
    return west, south, east, north


def parse_zoom(zoom: str | None) -> int:
    if zoom is None:
        return CITY_ZOOM
    try:
        return max(0, min(MAX_ZOOM, int(zoom)))
    except ValueError:
        raise BadView from None


def in_view(lat: np.ndarray, lon: np.ndarray, view, only=None) -> np.ndarray:
    """Positions of the located shops inside `view` (and in `only`, a mask, when given)."""
    west, south, east, north = view
    mask = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
    if only is not None:
        mask &= only
    return np.flatnonzero(mask)


def clusters(lat: np.ndarray, lon: np.ndarray, shops: np.ndarray, view, zoom: int) -> list[dict]:
    """The `shops` (positions) grouped by grid cell: [{"lat", "lon", "count"}], the centre
    being the mean of the cell's shops. Cells are fixed to the globe, not to the view, so a
    cluster does not jump when the map pans; a view too large for its zoom gets larger cells
    (at most MAX_CELLS)."""
    west, south, east, north = view
    cell = CELL_PX * 360 / (256 * 2 ** zoom)
    cells = max(1.0, (east - west) / cell) * max(1.0, (north - south) / cell)
    if cells > MAX_CELLS:
        cell *= math.sqrt(cells / MAX_CELLS) * 1.01
    if not len(shops):
        return []
    column = np.floor(lon[shops] / cell).astype(np.int64)
    row = np.floor(lat[shops] / cell).astype(np.int64)
    _, which, counts = np.unique(column * 1_000_003 + row, return_inverse=True,
                                 return_counts=True)
    centre_lat = np.bincount(which, weights=lat[shops]) / counts
    centre_lon = np.bincount(which, weights=lon[shops]) / counts
    return [{"lat": round(float(a), 5), "lon": round(float(o), 5), "count": int(n)}
            for a, o, n in zip(centre_lat, centre_lon, counts)]
