"""Nearest shops without scanning every shop: a grid of ~330 m cells over the shops of the
catalog index, searched ring by ring outwards. A flat-earth distance (exact enough inside a
city) ranks the candidates; geopy's great-circle distance (within 0.5% of the geodesic,
far below the 10 m we print, and 5x cheaper) gives the distances we print, for those few.
Also: whether a shop is open now, from its `hours` in Payakumbuh time."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from geopy.distance import great_circle

from smsbot.clock import local
from smsbot.search.index import Index

CELL = 0.003  # degrees, about 330 m at the equator
SMALL_SET = 4096  # a product filter this small is ranked directly, without the grid
MAX_RING = 400  # about 130 km: beyond that there is no "near"
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 111_320.0


@dataclass
class Near:
    shop: int  # position in the index
    metres: float


class Grid:
    def __init__(self, index: Index):
        known = np.flatnonzero(~(np.isnan(index.shop_lat) | np.isnan(index.shop_lon)))
        self.lat, self.lon = index.shop_lat, index.shop_lon
        cells: dict[tuple[int, int], list[int]] = {}
        for s in known.tolist():
            cells.setdefault(self._cell(self.lat[s], self.lon[s]), []).append(s)
        self.cells = {k: np.array(v, dtype=np.int32) for k, v in cells.items()}
        self.known = known

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / CELL), math.floor(lon / CELL)

    def _approx(self, shops: np.ndarray, lat: float, lon: float) -> np.ndarray:
        dy = (self.lat[shops] - lat) * M_PER_DEG_LAT
        dx = (self.lon[shops] - lon) * M_PER_DEG_LON * math.cos(math.radians(lat))
        return np.hypot(dx, dy)

    def nearest(self, lat: float, lon: float, k: int = 3,
                only: np.ndarray | None = None) -> list[Near]:
        """The k nearest shops (optionally only those where the mask `only` is True)."""
        allowed = only
        if only is not None and np.count_nonzero(only) <= SMALL_SET:
            shops = np.flatnonzero(only)
            shops = shops[~(np.isnan(self.lat[shops]) | np.isnan(self.lon[shops]))]
            return self._finish(shops, lat, lon, k)
        cy, cx = self._cell(lat, lon)
        found: list[np.ndarray] = []
        count = 0
        cell_m = CELL * min(M_PER_DEG_LAT, M_PER_DEG_LON * math.cos(math.radians(lat)))
        for ring in range(MAX_RING + 1):
            for key in _ring(cy, cx, ring):
                shops = self.cells.get(key)
                if shops is not None:
                    if allowed is not None:
                        shops = shops[allowed[shops]]
                    if shops.size:
                        found.append(shops)
                        count += shops.size
            if count >= k:
                candidates = np.concatenate(found)
                distances = self._approx(candidates, lat, lon)
                kth = np.partition(distances, k - 1)[k - 1]
                if kth <= ring * cell_m:  # every shop nearer than kth lies within this ring
                    return self._finish(candidates, lat, lon, k, distances)
        return self._finish(np.concatenate(found) if found else np.array([], dtype=np.int32),
                            lat, lon, k)

    def _finish(self, shops: np.ndarray, lat: float, lon: float, k: int,
                distances: np.ndarray | None = None) -> list[Near]:
        if not shops.size:
            return []
        if distances is None:
            distances = self._approx(shops, lat, lon)
        take = min(shops.size, k)
        best = np.argpartition(distances, take - 1)[:take] if shops.size > take else np.arange(shops.size)
        near = [Near(int(shops[i]), great_circle((lat, lon), (self.lat[shops[i]], self.lon[shops[i]])).meters)
                for i in best.tolist()]
        near.sort(key=lambda n: (n.metres, n.shop))
        return near[:k]


def _ring(cy: int, cx: int, r: int):
    if r == 0:
        yield cy, cx
        return
    for dx in range(-r, r + 1):
        yield cy - r, cx + dx
        yield cy + r, cx + dx
    for dy in range(-r + 1, r):
        yield cy + dy, cx - r
        yield cy + dy, cx + r


def grid(index: Index) -> Grid:
    if index.nearby is None:
        index.nearby = Grid(index)
    return index.nearby


def is_open(hours: str, now: datetime) -> bool | None:
    """True/False from `08:00-21:00` (an end before the start runs past midnight);
    None when the hours are unknown."""
    try:
        start_s, end_s = hours.split("-")
        start = int(start_s[:2]) * 60 + int(start_s[3:5])
        end = int(end_s[:2]) * 60 + int(end_s[3:5])
    except (ValueError, IndexError):
        return None
    moment = local(now)
    minute = moment.hour * 60 + moment.minute
    if start == end:
        return True
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def distance_text(metres: float) -> str:
    """350 m, 1,2 km, 14 km (Indonesian decimal comma)."""
    if metres < 1000:
        return f"{max(10, int(round(metres, -1)))} m"
    if metres < 10_000:
        return f"{metres / 1000:.1f} km".replace(".", ",")
    return f"{round(metres / 1000)} km"
