#!/usr/bin/env python
"""CARI at city scale: 38,226 shops, 200,000 products (synthetic, fixed seed), 1,000
realistic queries through the real CARI handler, and a naive baseline in the same run
(rapidfuzz `process.extract` over every product name).

    .venv/bin/python scripts/bench_search.py [--db var/bench.db] [--queries 1000] [--naive 100]

The catalog is generated once into an SQLite file (reused when it exists).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session  # noqa: E402

from smsbot.catalog.models import Product, Shop  # noqa: E402
from smsbot.contacts.models import Contact  # noqa: E402
from smsbot.sms import grammar as grammar_module
from smsbot.sms.context import Context  # noqa: E402
from smsbot.store import engine as db

SEED = 20261127
SHOPS = 38_226
PRODUCTS = 200_000
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)

FOODS = [  # (prefix, written forms a shop may use, flavours)
    ("RT", ["Rendang Telur", "Randang Talua", "Rendang Talua"], ["", "Pedas", "Original"]),
    ("RP", ["Rendang Paru", "Randang Paru"], ["", "Pedas"]),
    ("RS", ["Rendang Suir", "Rendang Runtiah", "Rendang Suwir"], ["", "Daging", "Pedas"]),
    ("RU", ["Rendang Ubi", "Randang Ubi"], ["", "Pedas"]),
    ("RJ", ["Rendang Jagung", "Randang Jaguang"], [""]),
    ("RB", ["Rendang Belut", "Randang Baluik"], ["", "Pedas"]),
    ("RD", ["Rendang Daun Kayu"], [""]),
    ("GL", ["Galamai", "Gelamai", "Kalamai"], ["Original", "Durian", "Kacang", "", "Gula Aren"]),
    ("PS", ["Pisang Salai", "Sale Pisang", "Salai Pisang"], ["", "Madu", "Original"]),
    ("SJ", ["Sanjai", "Keripik Sanjai", "Karupuak Sanjai"], ["Balado Pedas", "Original", "Balado", "Manis"]),
    ("BT", ["Batiah", "Batih"], ["", "Gula Aren"]),
    ("BR", ["Bareh Randang"], [""]),
    ("KG", ["Kerupuk Ganepo", "Karupuak Ganepo"], ["", "Balado"]),
    ("JK", ["Kerupuk Jangek", "Kerupuk Kulit", "Karupuak Jangek"], ["", "Pedas"]),
    ("PY", ["Pinyaram"], ["", "Gula Merah"]),
    ("DK", ["Dakak-Dakak"], ["", "Pedas"]),
    ("KB", ["Kue Bawang"], [""]),
    ("LB", ["Lapek Bugih"], [""]),
    ("TT", ["Teh Talua"], ["", "Telur Bebek"]),
    ("KC", ["Kacimuih"], [""]),
]
SIZES = ["200g", "250g", "500g", "1kg", "isi 10", "isi 20", ""]
TRADES = ["Rendang", "Randang", "Galamai", "Kalamai", "Sanjai", "Keripik", "Pisang Salai",
          "Batiah", "Karupuak", "Kue", "Toko", "Warung", "Kedai", "Oleh-Oleh", "Pusat Oleh-Oleh"]
ADDRESS = ["Uni", "Uda", "Amak", "Mak", "Ibu", "Pak", "Bundo", "Etek", "Ajo", "Nek", "Mande", "Tek"]
PEOPLE = ("Emi Ida Yet Ros Nur Sari Upik Udin Ujang Inun Wit Lis Buyuang Rubiah Ani Jus Syaf Zul "
          "Nurma Rina Des Dedi Salmah Rajo Ratna Yusuf Iwan Yanti Rahmi Asril Nasrul Ijal Wati Feri "
          "Rini Eka Dewi Afrizal Syahrul Hendra Yusra Marni Darmi Nelly Zainal Herman Jasmi Hasnah "
          "Rosna Sidar Nursal Bahar Gadih Sutan Malin Katik Bagindo Datuak Rangkayo Pono Buyung "
          "Reno Misra Elvi Yulia Fitri Mega Susi Tati Titin Hasan Husin Aris Bujang Lenggo Siti "
          "Intan Rosmaini Basri Darwis Jamil Kamal Lukman Munir Nazar Rusli Samsul Taufik").split()
STREETS = ["Tan Malaka", "Sudirman", "Soekarno-Hatta", "Jambu", "Merapi", "Ade Irma Suryani",
           "Latsitarda", "Koto Panjang", "Padang Sikabu", "Talang", "Limbukan", "Ampangan",
           "Prof. M. Yamin", "Sicincin", "Kubu Gadang", "Pahlawan", "Diponegoro", "Veteran"]
HOURS = ["08:00-21:00", "07:00-17:00", "09:00-22:00", "10:00-22:00", "06:00-12:00",
         "18:00-02:00", ""]


def kelurahan() -> list[tuple[str, float, float]]:
    with (ROOT / "db" / "seed" / "kelurahan.csv").open() as handle:
        return [(r["name"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)]


def generate(engine) -> None:
    rng = random.Random(SEED)
    places = kelurahan()
    shops, products = [], []
    for i in range(1, SHOPS + 1):
        kel, lat, lon = rng.choice(places)
        shops.append(dict(
            id=i, code=f"S{i:05d}", code_key=f"S{i:05d}",
            name=f"{rng.choice(TRADES)} {rng.choice(ADDRESS)} {rng.choice(PEOPLE)}",
            phone=f"+62812{i:07d}", address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
            kelurahan=kel, lat=round(lat + rng.gauss(0, 0.004), 5),
            lon=round(lon + rng.gauss(0, 0.004), 5), hours=rng.choice(HOURS), payment_info="",
            active=True))
    for i in range(1, PRODUCTS + 1):
        prefix, forms, flavours = rng.choice(FOODS)
        name = " ".join(x for x in (rng.choice(forms), rng.choice(flavours), rng.choice(SIZES)) if x)
        products.append(dict(
            id=i, code=f"{prefix}{i:06d}", code_key=f"{prefix}{i:06d}",
            shop_id=rng.randint(1, SHOPS), name=name, category=prefix.lower(),
            price_idr=rng.randrange(5000, 150_000, 500), unit="bungkus",
            stock=0 if rng.random() < 0.08 else rng.randint(1, 200), active=True))
    with Session(engine) as session:
        session.execute(insert(Shop), shops)
        session.execute(insert(Product), products)
        session.commit()


def catalog(path: Path):
    fresh = not path.exists()
    engine = db.make_engine(f"sqlite:///{path}")
    if fresh:
        started = time.perf_counter()
        generate(engine)
        print(f"generated {SHOPS} shops, {PRODUCTS} products in {time.perf_counter() - started:.1f} s")
    return engine


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1:]
    if kind < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aiueo") + word[i + 1:]


def queries(n: int) -> list[tuple[str, str | None]]:
    """(query, what its first result should be: a code prefix like "RT", a whole code, or
    None for a food nobody sells)."""
    rng = random.Random(SEED + 1)
    out = []
    lead = ["cari ", "CARI ", "Cari#", "", "brp harga ", "ada jual ", "cr "]
    tail = ["", "", "", " murah", " pedas", " original", " yg murah", " dibawah 30rb", " 250g",
            " uni " + rng.choice(PEOPLE).lower()]
    for _ in range(n):
        roll = rng.random()
        if roll < 0.05:
            text, expect = rng.choice(["pizza", "bakso", "sate padang", "martabak", "es tebak"]), None
        elif roll < 0.08:
            text = expect = f"{rng.choice(FOODS)[0]}{rng.randint(1, PRODUCTS):06d}"
        else:
            expect, forms, _ = rng.choice(FOODS)
            words = rng.choice(forms).lower().split()
            if rng.random() < 0.3:
                words = [typo(rng, w) for w in words]
            text = " ".join(words) + rng.choice(tail)
        out.append((rng.choice(lead[:3] if roll < 0.08 else lead) + text, expect))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def context(session: Session, grammar) -> Context:
    contact = Contact(phone="+6281300000001", created_at=NOW)
    return Context(session=session, grammar=grammar, contact=contact, now=NOW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "var" / "bench.db"))
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=100, help="queries for the naive baseline")
    args = parser.parse_args()
    from rapidfuzz import fuzz, process

    from smsbot.search import live as search_index
    from smsbot.sms.command import parse
    from smsbot.sms.wiring import HANDLERS

    engine = catalog(Path(args.db))
    grammar = grammar_module.load()
    with Session(engine) as session:
        tracemalloc.start()
        started = time.perf_counter()
        index = search_index.load(session)
        build = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"index: {index.size} products, {len(index.shop_names)} shops, "
          f"{len(index.vocabulary)} words; built in {build:.1f} s (under tracemalloc), "
          f"peak traced memory {peak / 2**20:.0f} MB")

    asked = queries(args.queries)
    texts = [text for text, _ in asked]
    times, answered, hits, foods, unsold, refused = [], 0, 0, 0, 0, 0
    with Session(engine) as session:
        search_index.load(session)  # warm
        for text, expect in asked:
            command = parse(text, grammar)
            handler = HANDLERS[command.keyword.handler if command.keyword else "fallback"]
            ctx = context(session, grammar)
            ctx.namespace = command.keyword.handler if command.keyword else "fallback"
            started = time.perf_counter()
            handler(ctx, command)
            times.append(time.perf_counter() - started)
            listed = bool(ctx.replies and ctx.replies[0].text.startswith("1)"))
            answered += listed
            first = ctx.replies[0].text[2:].split()[0] if listed else ""
            if expect is None:
                unsold += 1
                refused += not listed
            else:
                foods += 1
                hits += bool(first) and first.startswith(expect)
            session.rollback()
    ms = [t * 1000 for t in times]
    print(f"CARI handler, {len(ms)} queries ({answered} with results): "
          f"p50 {pct(ms, 50):.2f} ms, p99 {pct(ms, 99):.2f} ms, max {max(ms):.2f} ms")
    print(f"hit@1 (first result is the food or code asked for): {hits}/{foods} = "
          f"{hits / max(foods, 1):.1%}; foods nobody sells answered 'not found': {refused}/{unsold}")

    from smsbot.search.words import parse_query

    only = []
    for text in texts:
        command = parse(text, grammar)
        started = time.perf_counter()
        index.search(parse_query(command.rest))
        only.append((time.perf_counter() - started) * 1000)
    print(f"index search alone (no database, no reply): p50 {pct(only, 50):.2f} ms, "
          f"p99 {pct(only, 99):.2f} ms")

    names = index.names
    naive = []
    for text in texts[:args.naive]:
        started = time.perf_counter()
        process.extract(text, names, scorer=fuzz.WRatio, limit=30)
        naive.append((time.perf_counter() - started) * 1000)
    print(f"naive rapidfuzz process.extract over {len(names)} names, {len(naive)} queries: "
          f"p50 {pct(naive, 50):.1f} ms, p99 {pct(naive, 99):.1f} ms")
    print(f"ratio naive/index: p50 x{pct(naive, 50) / pct(ms, 50):.0f}, "
          f"p99 x{pct(naive, 99) / pct(ms, 99):.0f}")
    import resource

    print(f"process peak RSS (python, libraries, SQLite cache, the index): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
