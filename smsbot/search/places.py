"""Places buyers name: kelurahan (current and former names) and landmarks, from
`db/seed/kelurahan.csv` and `db/seed/landmarks.csv` (the admin can extend both)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from smsbot.paths import seed_file


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


# -- finding a place in what a buyer typed (LOKASI) ----------------------------------------
_COORDS = re.compile(r"(-?\d{1,2}\.\d+)\s*[,; ]\s*(-?\d{1,3}\.\d+)|(-?\d{1,2},\d+)\s+(-?\d{1,3},\d+)")
_WORD = re.compile(r"[a-z0-9]+")
# words around a place name that are not part of it ("dekat pasar ibuh", "kel. ibuah")
_AROUND = {"dekat", "di", "sekitar", "daerah", "kel", "kelurahan", "desa", "kec", "kecamatan",
           "jalan", "arah", "ke", "dari", "dr", "dkt", "sekitaran", "area", "kawasan"}
FUZZY_CUTOFF = 85


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, Place], tuple[str, ...]]:
    """folded name or alias -> place; kelurahan first, so a landmark alias never hides one."""
    by_name: dict[str, Place] = {}
    for place in sorted(places(), key=lambda p: p.kind != "kelurahan"):
        for name in (place.name, *place.aliases):
            by_name.setdefault(fold(name), place)
    return by_name, tuple(by_name)


def find_place(text: str) -> tuple[Place | None, str]:
    """The place named in `text` and the rest of the words (product words for LOKASI).

    Coordinates `lat,lon` (or `lat lon`, or with decimal commas `-0,22 100,63`) first; then
    the longest run of words that is a known name or alias (so `Padang Tangah Payobadar` is
    not `Padang Tangah`); then the same with rapidfuzz for misspellings."""
    lowered = text.lower()
    match = _COORDS.search(lowered)
    if match:
        lat_s, lon_s = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        lat, lon = float(lat_s.replace(",", ".")), float(lon_s.replace(",", "."))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            rest = (lowered[:match.start()] + " " + lowered[match.end():]).strip()
            return Place(f"{lat:.4f},{lon:.4f}", lat, lon, "coordinates"), rest
    words = [w for w in _WORD.findall(lowered.replace("jl.", "jl "))]
    words = ["jl" if w == "jalan" else w for w in words]
    by_name, names = _names()
    spans = [(start, start + n) for n in range(min(len(words), 7), 0, -1)
             for start in range(0, len(words) - n + 1)]
    for start, end in spans:
        place = by_name.get("".join(words[start:end]))
        if place is not None:
            return place, _rest(words, start, end)
    from rapidfuzz import fuzz, process

    best: tuple[float, int, int, Place] | None = None
    for start, end in spans:
        key = "".join(w for w in words[start:end])
        if len(key) < 4 or words[start] in _AROUND or words[end - 1] in _AROUND:
            continue
        found = process.extractOne(key, names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if found and (best is None or found[1] > best[0]):
            best = (found[1], start, end, by_name[found[0]])
    if best:
        return best[3], _rest(words, best[1], best[2])
    return None, " ".join(w for w in words if w not in _AROUND)


def _rest(words: list[str], start: int, end: int) -> str:
    return " ".join(w for w in words[:start] + words[end:] if w not in _AROUND)


def split_name_place(words: tuple[str, ...]) -> tuple[str, str]:
    """`Siti Koto Tangah` -> (`Siti`, `Koto Tangah`): the longest run of last words (up to 4)
    that names a kelurahan is the place (DAFTAR), the rest the name."""
    for size in range(min(len(words), 4), 0, -1):
        place = kelurahan(" ".join(words[-size:]))
        if place is not None:
            return " ".join(words[:-size]), place.name
    return " ".join(words), ""
