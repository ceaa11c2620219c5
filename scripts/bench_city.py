#!/usr/bin/env python
"""The whole city's catalog, live: Payakumbuh's 38,226 UMKM and 200,000 products
(synthetic, fixed seed) through the scripting contract and the whole SMS pipeline.

    .venv/bin/python scripts/bench_city.py [--quick] [--dir var/bench_city]

Measures, on a fresh data folder: both imports (`smsbot import shops|products` as
subprocesses), the cold start (a new `smsbot chat` process until its first CARI answer; a
new `smsbot run` on a dummy modem until its first answer is sent; in-process, the first
CARI from the snapshot against one from the database alone),
CARI / LOKASI per message through `smsbot chat`'s path (ingest, core, outbox, sender) at
city scale against the demo catalog (the ratio should stay <= 2), a storm of STOK / HARGA
interleaved with CARI (CARI's p50 / p99) against a naive baseline in the same run that
rebuilds the whole search index after every change, the process's peak RSS, and
`/peta.json` (bytes and ms). `--quick` is a smoke run of a few seconds on a tiny city.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20261201
SHOPS, PRODUCTS, STORM = 38_226, 200_000, 1_000
QUICK = dict(shops=300, products=1_500, storm=40, messages=20, naive=40)
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)  # 10:00 in Payakumbuh
BUYER = "081300000001"

CARI = ["CARI rendang", "CARI galamai durian", "cari sanjai balado", "CARI pinyaram",
        "CARI rendang telur pedas", "CARI kue bawang", "cari batiah", "CARI dakak"]
LOKASI = ["LOKASI Pasar Ibuh", "LOKASI Ibuh galamai", "LOKASI -0.2245,100.6530",
          "LOKASI Koto Nan Ompek rendang"]


# -- helpers -------------------------------------------------------------------------------
def smsbot(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "smsbot"), *args]
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def chat_times(engine, texts: list[tuple[str, str]], between=None) -> list[float]:
    """Seconds each (phone, text) took through `smsbot chat`'s path, in process: from the
    line being read until everything it caused is sent. The first line (the index load)
    is sent before and not counted. `between(i)` runs after line i (not timed)."""
    from smsbot.sim.chat import run_chat
    from smsbot.sms import grammar as grammar_module

    times: list[float] = []

    def lines():
        yield json.dumps({"from": BUYER, "text": "CARI rendang", "at": NOW.isoformat()})
        for i, (phone, text) in enumerate(texts):
            started = time.perf_counter()
            yield json.dumps({"from": phone, "text": text})
            times.append(time.perf_counter() - started)
            if between:
                between(i)
        yield ""

    # run_chat reads a line, answers it, then reads the next: the time from one `yield` to
    # the next is that line's answer
    out = io.StringIO()
    bad = run_chat(engine, lines(), out, grammar_module.load())
    assert bad == 0, out.getvalue()[-500:]
    return times


def ms(values: list[float]) -> str:
    return f"p50 {pct(values, 50) * 1000:.2f} ms, p99 {pct(values, 99) * 1000:.2f} ms"


def messages(n: int, rng: random.Random) -> list[tuple[str, str]]:
    return [(f"08131{i % 500:06d}", rng.choice(CARI if i % 2 == 0 else LOKASI)) for i in range(n)]


# -- the parts -----------------------------------------------------------------------------
def imports(folder: Path, shops: int, products: int) -> dict:
    from smsbot.catalog.citygen import write_city_csv

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    shop_csv, product_csv = write_city_csv(folder / "csv", shops=shops, products=products,
                                           seed=SEED)
    generated = time.perf_counter() - started
    env = dict(os.environ, SMSBOT_DB=f"sqlite:///{folder / 'smsbot.db'}")
    timed = {}
    for kind, path in (("shops", shop_csv), ("products", product_csv)):
        started = time.perf_counter()
        smsbot(env, "import", kind, str(path))
        timed[kind] = time.perf_counter() - started
    print(f"catalog: {shops} shops, {products} products generated in {generated:.1f} s; "
          f"smsbot import shops {timed['shops']:.1f} s, products {timed['products']:.1f} s")
    return env


def cold_start(env: dict) -> tuple[float, float]:
    """A new `smsbot chat` process until its first CARI answer is written: seconds, and the
    process's peak RSS in MB over its whole life (its index, and a snapshot it writes)."""
    started = time.perf_counter()
    process = subprocess.Popen([str(Path(sys.executable).parent / "smsbot"), "chat"], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    process.stdin.write(json.dumps({"from": BUYER, "text": "CARI rendang"}) + "\n")
    process.stdin.flush()
    process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.stdin.close()
    return elapsed, peak_rss(process)


def daemon_start(env: dict, folder: Path) -> tuple[float, float]:
    """A new `smsbot run` on a dummy modem that holds one CARI: seconds from the start until
    its answer is handed to the modem (its outbox row is sent), and the peak RSS in MB."""
    import sqlite3

    from smsbot.modem import dummy

    shutil.rmtree(folder, ignore_errors=True)
    gammurc = dummy.write_config(folder)
    dummy.drop_sms(folder, BUYER, "CARI rendang", 1)
    database = sqlite3.connect(env["SMSBOT_DB"].removeprefix("sqlite:///"))
    sent = "select count(*) from outboxmessage where status = 'sent'"
    before = database.execute(sent).fetchone()[0]
    started = time.perf_counter()
    process = subprocess.Popen([str(Path(sys.executable).parent / "smsbot"), "run", "--modem",
                                str(gammurc), "--until-idle"], env=env)
    while database.execute(sent).fetchone()[0] == before and process.poll() is None:
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    database.close()
    return elapsed, peak_rss(process)


def peak_rss(process: subprocess.Popen) -> float:
    """The process's peak RSS in MB, read until it exits."""
    peak = 0.0
    while process.poll() is None:
        try:
            with open(f"/proc/{process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peak = int(line.split()[1]) / 1024
        except OSError:
            break
        time.sleep(0.02)
    process.wait(timeout=120)
    return peak


def first_cari(url: str) -> tuple[float, float, int, int]:
    """The two ways #18 names to answer the first CARI of a new process, in one fresh
    process each (this one, caches dropped): the snapshot (read, caught up, searched) and
    the database alone (a LIKE per word over every active product, as an answer "from the
    database while the index loads" would be). Seconds each, and over CARI's queries how
    often the database alone lists the same first product as the index."""
    from sqlalchemy import func, select
    from sqlmodel import Session

    from smsbot.catalog.models import Product, Shop
    from smsbot.search import live as search_index
    from smsbot.search.words import parse_query
    from smsbot.store import engine as db

    def from_database(session, text: str) -> list[str]:
        text_of = func.lower(Product.name + " " + func.coalesce(Product.category, ""))
        query = (select(Product.code).join(Shop, Shop.id == Product.shop_id)
                 .where(Product.active == True, Shop.active == True)  # noqa: E712
                 .order_by(Product.stock <= 0, Product.price_idr, Product.code).limit(3))
        for word in parse_query(text).words:
            query = query.where(text_of.like(f"%{word}%"))
        return list(session.execute(query).scalars())

    search_index.forget()
    engine = db.make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        index = search_index.load(session)
        index.search(parse_query(CARI[0].split(" ", 1)[1]))
    snapshot_s = time.perf_counter() - started
    engine.dispose()
    engine = db.make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        from_database(session, CARI[0].split(" ", 1)[1])
    database_s = time.perf_counter() - started
    same = 0
    with Session(engine) as session:
        for text in CARI:
            words = text.split(" ", 1)[1]
            found, _unknown = index.search(parse_query(words))
            listed = from_database(session, words)
            same += bool(found and listed and index.codes[found[0]] == listed[0])
    engine.dispose()
    return snapshot_s, database_s, same, len(CARI)


def storm(engine, changes: int, naive: bool) -> list[float]:
    """`changes` STOK / HARGA from the shops' phones interleaved with as many CARI; the CARI
    times. `naive`: the whole index is dropped after every change (rebuilt by the next CARI)."""
    from sqlmodel import Session, select

    from smsbot.catalog.models import Product, Shop
    from smsbot.contacts.phones import local_form
    from smsbot.search import live as search_index

    rng = random.Random(SEED + 2)
    with Session(engine) as session:
        sellers = session.exec(select(Product.code, Shop.phone)
                               .join(Shop, Shop.id == Product.shop_id)
                               .order_by(Product.id).limit(500)).all()
    texts = []
    for i in range(changes):
        code, phone = rng.choice(sellers)
        change = (f"STOK {code} {rng.randint(0, 99)}" if i % 2 == 0
                  else f"HARGA {code} {rng.randrange(5000, 90_000, 500)}")
        texts += [(local_form(phone), change), (BUYER, rng.choice(CARI))]

    def between(i: int) -> None:
        if naive and i % 2 == 0:
            search_index.forget()

    times = chat_times(engine, texts, between)
    return times[1::2]


@contextmanager
def without_snapshot():
    """The naive side as the issue measured it: no snapshot to read or write, so every index
    dropped is built again from the database."""
    from smsbot.search import snapshot

    read, save_later = snapshot.read, snapshot.save_later
    snapshot.read, snapshot.save_later = (lambda session: None), (lambda session, index: None)
    try:
        yield
    finally:
        snapshot.read, snapshot.save_later = read, save_later


def core_storm(engine, changes: int, naive: bool) -> list[float]:
    """The storm without `smsbot chat` around it: each STOK/HARGA through the core and
    committed, then the CARI through the core and committed, timed."""
    from sqlmodel import Session, select

    from smsbot.catalog.models import Product, Shop
    from smsbot.search import live as search_index
    from smsbot.sms.core import handle_message

    rng = random.Random(SEED + 3)
    with Session(engine) as session:
        sellers = session.exec(select(Product.code, Shop.phone)
                               .join(Shop, Shop.id == Product.shop_id)
                               .order_by(Product.id).limit(500)).all()
        handle_message(BUYER, "CARI rendang", NOW, session)  # the index, loaded
        session.commit()
    times = []
    for i in range(changes):
        code, phone = rng.choice(sellers)
        change = (f"STOK {code} {rng.randint(0, 99)}" if i % 2 == 0
                  else f"HARGA {code} {rng.randrange(5000, 90_000, 500)}")
        with Session(engine) as session:
            handle_message(phone, change, NOW, session)
            session.commit()
        if naive:
            search_index.forget()
        started = time.perf_counter()
        with Session(engine) as session:
            handle_message(BUYER, rng.choice(CARI), NOW, session)
            session.commit()
        times.append(time.perf_counter() - started)
    return times


def peta(engine, repeat: int) -> list[tuple[str, int, float]]:
    from starlette.testclient import TestClient

    from smsbot.web.app import create_app
    from smsbot.web.config import WebConfig

    app = create_app(engine, WebConfig(tile_url="", bot_number="0812 0000 0000", clock=lambda: NOW))
    out = []
    with TestClient(app) as client:
        for label, params in (("whole city (no bbox)", {}),
                              ("a street, z=17",
                               {"bbox": "100.628,-0.230,100.636,-0.224", "z": "17"}),
                              ("CARI rendang, no bbox", {"q": "rendang"})):
            client.get("/peta.json", params=params)  # warm
            times, size = [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get("/peta.json", params=params)
                times.append(time.perf_counter() - started)
                size = len(response.content)
            out.append((label, size, statistics.median(times)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny city, a few seconds")
    parser.add_argument("--dir", default=str(ROOT / "var" / "bench_city"))
    args = parser.parse_args()
    size = QUICK if args.quick else dict(shops=SHOPS, products=PRODUCTS, storm=STORM,
                                          messages=400, naive=40)
    # the pipeline, not the abuse guard: one buyer sends every CARI, a few sellers every change
    os.environ.update(SMSBOT_REPLY_LIMITS="off", SMSBOT_LOOP_WINDOW="off")
    folder = Path(args.dir)

    from smsbot.sim.seed import seed_demo
    from smsbot.store import engine as db

    env = imports(folder / "city", size["shops"], size["products"])
    city = db.make_engine(env["SMSBOT_DB"])
    demo_folder = folder / "demo"
    shutil.rmtree(demo_folder, ignore_errors=True)
    demo_folder.mkdir(parents=True)
    demo = db.make_engine(f"sqlite:///{demo_folder / 'smsbot.db'}")
    seed_demo(demo, NOW)

    cold, cold_rss = cold_start(env)  # no snapshot yet: it builds the index and saves one
    warm, warm_rss = cold_start(env)  # a restart: the snapshot, caught up by catalog version
    cold_demo, demo_rss = cold_start(dict(os.environ, SMSBOT_DB=str(demo.url)))
    print(f"cold start (new `smsbot chat` until the first CARI answer): city, first start "
          f"after the import (full build) {cold:.2f} s; city, a restart (snapshot) "
          f"{warm:.2f} s; demo {cold_demo:.2f} s (Python and imports alone); "
          f"so the catalog adds {warm - cold_demo:.2f} s to a restart")
    print(f"peak RSS of that process: city with a build and writing its snapshot "
          f"{cold_rss:.0f} MB, city from the snapshot {warm_rss:.0f} MB, demo {demo_rss:.0f} MB")
    daemon, daemon_rss = daemon_start(env, folder / "modem")
    daemon_demo, _rss = daemon_start(dict(os.environ, SMSBOT_DB=str(demo.url)), folder / "modem")
    print(f"cold start of the daemon (new `smsbot run` on a dummy modem holding a CARI, until "
          f"its answer is sent): city {daemon:.2f} s, demo {daemon_demo:.2f} s, so the catalog "
          f"adds {daemon - daemon_demo:.2f} s; peak RSS city {daemon_rss:.0f} MB")
    snapshot_s, database_s, same, queries = first_cari(env["SMSBOT_DB"])
    print(f"first CARI of a new process, in it: from the snapshot {snapshot_s * 1000:.0f} ms; "
          f"from the database alone (LIKE, no index) {database_s * 1000:.0f} ms, with the "
          f"index's first product for {same} of {queries} queries")

    texts = messages(size["messages"], random.Random(SEED + 1))
    at_city, at_demo = chat_times(city, texts), chat_times(demo, texts)
    for kind, start in (("CARI", 0), ("LOKASI", 1)):
        city_p50, demo_p50 = pct(at_city[start::2], 50), pct(at_demo[start::2], 50)
        print(f"{kind} per message through smsbot chat: city {ms(at_city[start::2])}; "
              f"demo {ms(at_demo[start::2])}; ratio city/demo p50 x{city_p50 / demo_p50:.2f}")

    from smsbot.search import live as search_index

    builds = search_index.STATS["builds"]
    ours = storm(city, size["storm"], naive=False)
    rebuilt = search_index.STATS["builds"] - builds
    # the naive side rebuilds the whole index per change (seconds each at city scale): a
    # sample of the storm says its p50/p99 as well as all of it would
    with without_snapshot():
        naive = storm(city, min(size["storm"], size["naive"]), naive=True)
    print(f"storm of {size['storm']} STOK/HARGA + {size['storm']} CARI: CARI {ms(ours)}, "
          f"full index builds during it: {rebuilt}; "
          f"naive (whole index rebuilt per change, {len(naive)} changes) {ms(naive)}; "
          f"ratio naive/ours p50 x{pct(naive, 50) / pct(ours, 50):.1f}, "
          f"p99 x{pct(naive, 99) / pct(ours, 99):.1f}")

    ours_core = core_storm(city, size["storm"], False)
    with without_snapshot():
        naive_core = core_storm(city, min(size["storm"], size["naive"]), True)
    print(f"the same storm in the pure core (handle_message + commit, no outbox or JSON): "
          f"CARI {ms(ours_core)}; naive {ms(naive_core)}; "
          f"ratio naive/ours p50 x{pct(naive_core, 50) / pct(ours_core, 50):.1f}")

    for label, nbytes, seconds in peta(city, 5 if args.quick else 20):
        print(f"/peta.json {label}: {nbytes / 1000:.1f} KB, {seconds * 1000:.1f} ms")
    print(f"peak RSS of this process (the index, SQLite's cache, the web app): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
