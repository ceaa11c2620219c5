"""A whole city's catalog for benchmarks: Payakumbuh's 38,226 UMKM and their products, as the
CSV files an admin would import, and the timing of those imports.

    from smsbot.catalog import citygen
    shops_csv, products_csv = citygen.write_city_csv(tmp_dir, shops=38226, products=200000, seed=1)
    citygen.time_import(engine, "shops", shops_csv)  # {"rows": 38226, "wall_s": ..., "cpu_s": ...}

The same seed gives the same files, byte for byte. Shops sit in the real kelurahan
(db/seed/kelurahan.csv), half with coordinates near its centre and half with only its name;
products are the city's foods (FOODS, from the shared data's foods.csv) at their usual
prices. No unit test times anything. scripts/bench_city.py times the `smsbot import` command
itself (its start-up included); `time_import` times an import inside this process.
"""

from __future__ import annotations

import csv
import random
import time
from datetime import datetime
from pathlib import Path

from smsbot.catalog.importer import PRODUCT_COLUMNS, SHOP_COLUMNS, import_file
from smsbot.clock import utcnow
from smsbot.search import places as gazetteer

# (code prefix, category, product name, unit, typical price in rupiah)
FOODS = [
    ("RT", "rendang", "Rendang Telur 250g", "bungkus", 20000),
    ("RT", "rendang", "Randang Talua 200g", "bungkus", 15000),
    ("RP", "rendang", "Rendang Paru 250g", "bungkus", 45000),
    ("RS", "rendang", "Rendang Suir 250g", "bungkus", 50000),
    ("RU", "rendang", "Rendang Ubi 250g", "bungkus", 11000),
    ("RJ", "rendang", "Rendang Jagung 250g", "bungkus", 11000),
    ("RD", "rendang", "Rendang Daun Kayu 250g", "bungkus", 31000),
    ("RB", "rendang", "Rendang Belut 250g", "bungkus", 62000),
    ("GL", "galamai", "Galamai 500g", "kotak", 50000),
    ("BT", "batiah", "Batiah", "bungkus", 10000),
    ("KG", "kerupuk", "Kerupuk Ganepo", "bungkus", 15000),
    ("PS", "salai", "Pisang Salai 500g", "bungkus", 20000),
    ("KB", "keripik", "Keripik Balado 500g", "bungkus", 36000),
    ("KJ", "kerupuk", "Kerupuk Jangek 250g", "bungkus", 40000),
    ("DK", "kue", "Dakak-dakak 250g", "bungkus", 25000),
    ("KW", "kue", "Kue Bawang 250g", "bungkus", 15000),
    ("PY", "kue", "Pinyaram", "pcs", 1000),
    ("TT", "minuman", "Teh Talua", "gelas", 12000),
    ("LB", "kue", "Lapek Bugih", "kotak", 15000),
    ("KC", "kue", "Kacimuih", "porsi", 3000),
]
SHOP_KINDS = [("RDG", "Rendang"), ("GLM", "Galamai"), ("OLH", "Oleh-oleh"), ("KRP", "Kerupuk"),
              ("KUE", "Kue"), ("WRG", "Warung")]
OWNERS = ["Uni Emi", "Amak Ida", "Uni Lis", "Etek Ros", "Pak Datuak", "Uda Rizal", "Bu Yet",
          "Uni Nur", "Mak Tuo", "Uni Santi", "Pak Syaf", "Ni Ita", "Bu Rahmi", "Uda Fikri"]
STREETS = ["Jl. Tan Malaka", "Jl. Soekarno Hatta", "Jl. Sudirman", "Jl. Ahmad Yani",
           "Jl. Imam Bonjol", "Jl. Jambu", "Jl. Diponegoro", "Jl. Pahlawan", "Jl. Veteran"]
HOURS = ["08:00-21:00", "07:00-17:00", "09:00-22:00", "06:00-12:00", ""]


def write_city_csv(directory: Path | str, shops: int = 38226, products: int = 200000,
                   seed: int = 1) -> tuple[Path, Path]:
    """Write `shops.csv` and `products.csv` (the import headers) into `directory`; returns
    their paths. Codes, phones and product codes are unique; every product's shop exists."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    kelurahan = [p for p in gazetteer.places() if p.kind == "kelurahan"]
    phones = rng.sample(range(10_000_000, 99_999_999), shops)
    shop_codes = []
    shops_path, products_path = directory / "shops.csv", directory / "products.csv"
    with shops_path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(SHOP_COLUMNS)
        for n in range(shops):
            prefix, kind = rng.choice(SHOP_KINDS)
            code = f"{prefix}{n + 1:05d}"
            shop_codes.append(code)
            place = rng.choice(kelurahan)
            lat = lon = ""
            if rng.random() < 0.5:
                lat = f"{place.lat + rng.uniform(-0.006, 0.006):.5f}"
                lon = f"{place.lon + rng.uniform(-0.006, 0.006):.5f}"
            assets = rng.choice(["", str(rng.randrange(5, 2000) * 1_000_000)])
            sales = rng.choice(["", str(rng.randrange(20, 5000) * 1_000_000)])
            out.writerow([code, f"{kind} {rng.choice(OWNERS)} {n + 1}",
                          f"08{rng.choice(('12', '13', '52', '53'))}{phones[n]:08d}",
                          f"{rng.choice(STREETS)} No. {rng.randrange(1, 200)}", place.name,
                          lat, lon, rng.choice(HOURS), assets, sales])
    with products_path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(PRODUCT_COLUMNS)
        for n in range(products):
            prefix, category, name, unit, price = rng.choice(FOODS)
            price = max(500, round(price * rng.uniform(0.7, 1.4) / 500) * 500)
            out.writerow([f"{prefix}{n + 1:06d}", rng.choice(shop_codes), name, category,
                          price, unit, rng.randrange(0, 300)])
    return shops_path, products_path


def time_import(engine, kind: str, path: Path | str, now: datetime | None = None) -> dict:
    """Import `path` (`kind` "shops" or "products") into `engine` and time it:
    {"rows", "created", "updated", "wall_s", "cpu_s"} (cpu_s: this process only; the database
    server's time is not in it). Raises RuntimeError with the first problems if it failed."""
    wall, cpu = time.perf_counter(), time.process_time()
    report = import_file(engine, kind, Path(path), now or utcnow())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if not report.ok:
        raise RuntimeError("; ".join(report.errors[:5]))
    return {"rows": report.created + report.updated, "created": report.created,
            "updated": report.updated, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2)}
