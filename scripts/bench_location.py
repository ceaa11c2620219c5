#!/usr/bin/env python
"""LOKASI at city scale: the synthetic catalog of bench_search.py (38,226 shops, 200,000
products, fixed seed), 1,000 realistic LOKASI messages through the real handler (place
names with typos, landmarks, lat,lon, some with food words), and in the same run the naive
baseline: geopy `geodesic` from the place to every shop.

    .venv/bin/python scripts/bench_location.py [--db var/bench.db] [--queries 1000] [--naive 5]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_search as base  # noqa: E402
from sqlmodel import Session  # noqa: E402


def messages(n: int) -> list[str]:
    from smsbot.search.places import places

    rng = random.Random(base.SEED + 2)
    names = [name for p in places() for name in (p.name, *p.aliases)]
    foods = ["", "", "", "rendang", "galamai", "sanjai pedas", "randang talua", "batiah",
             "kerupuk jangek", "pisang sale"]
    out = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.25:
            place = f"{rng.uniform(-0.27, -0.19):.4f},{rng.uniform(100.59, 100.68):.4f}"
        else:
            words = rng.choice(names).lower().split()
            if rng.random() < 0.3:
                words = [base.typo(rng, w) for w in words]
            place = " ".join(words)
        out.append(f"{rng.choice(['LOKASI ', 'lokasi ', 'lok '])}{place} {rng.choice(foods)}".strip())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(base.ROOT / "var" / "bench.db"))
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=5)
    args = parser.parse_args()
    from geopy.distance import geodesic

    from smsbot.search import live as search_index
    from smsbot.search.nearby import grid
    from smsbot.search.places import find_place
    from smsbot.sms import grammar as grammar_module
    from smsbot.sms.command import parse
    from smsbot.sms.wiring import HANDLERS

    engine = base.catalog(Path(args.db))
    grammar = grammar_module.load()
    with Session(engine) as session:
        index = search_index.load(session)
        tracemalloc.start()
        started = time.perf_counter()
        grid(index)
        built = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"grid over {len(index.shop_names)} shops: built in {built:.2f} s, "
          f"peak traced memory {peak / 2**20:.1f} MB (on top of the catalog index)")
    texts = messages(args.queries)
    times, found = [], 0
    handler = HANDLERS["lokasi"]
    with Session(engine) as session:
        for text in texts:
            command = parse(text, grammar)
            ctx = base.context(session, grammar)
            ctx.namespace = "lokasi"
            started = time.perf_counter()
            handler(ctx, command)
            times.append((time.perf_counter() - started) * 1000)
            found += "1)" in ctx.replies[0].text
    print(f"LOKASI handler, {len(times)} messages ({found} answered with shops): "
          f"p50 {base.pct(times, 50):.2f} ms, p99 {base.pct(times, 99):.2f} ms, "
          f"max {max(times):.2f} ms")
    points = [(index.shop_lat[i], index.shop_lon[i]) for i in range(len(index.shop_names))]
    naive = []
    for text in texts[:args.naive]:
        place, _ = find_place(parse(text, grammar).rest)
        if place is None:
            continue
        started = time.perf_counter()
        sorted((geodesic((place.lat, place.lon), p).meters, i) for i, p in enumerate(points))[:3]
        naive.append((time.perf_counter() - started) * 1000)
    if naive:
        print(f"naive geodesic to every shop, {len(naive)} messages: "
              f"p50 {base.pct(naive, 50):.0f} ms, p99 {base.pct(naive, 99):.0f} ms")
        print(f"ratio naive/grid: p50 x{base.pct(naive, 50) / base.pct(times, 50):.0f}")


if __name__ == "__main__":
    main()
