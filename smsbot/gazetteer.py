"""Places buyers name: kelurahan (current and former names) and landmarks, from
`db/seed/kelurahan.csv` and `db/seed/landmarks.csv` (the admin can extend both)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .paths import seed_file


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    kind: str  # kelurahan | landmark
    aliases: tuple[str, ...] = ()
    kecamatan: str = ""


def fold(name: str) -> str:
    """Lower case, letters and digits only: 'Ibuah ' == 'ibuah', 'Koto Nan IV' == 'kotonaniv'."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    found: list[Place] = []
    for kind, filename in (("kelurahan", "kelurahan.csv"), ("landmark", "landmarks.csv")):
        path = seed_file(filename)
        if not path.is_file():
            continue
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if not row.get("lat") or not row.get("lon"):
                    continue
                aliases = tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
                found.append(Place(row["name"].strip(), float(row["lat"]), float(row["lon"]), kind,
                                   aliases, (row.get("kecamatan") or "").strip()))
    return tuple(found)


def kelurahan(name: str) -> Place | None:
    """The kelurahan called `name` (current name or a former one / common spelling)."""
    key = fold(name)
    if not key:
        return None
    for place in places():
        if place.kind == "kelurahan" and key in {fold(place.name), *map(fold, place.aliases)}:
            return place
    return None
