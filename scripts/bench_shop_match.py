"""How well and how fast KELUHAN finds the shop a complaint names (smsbot.crm.shop_match),
against a naive baseline: rapidfuzz's best partial match of the text against shop names
(score >= 80), which always picks *some* shop.

Run: .venv/bin/python scripts/bench_shop_match.py
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlmodel import Session, select

from smsbot.catalog.models import Shop
from smsbot.crm.shop_match import infer_shop
from smsbot.sim.seed import seed_demo
from smsbot.store import engine as db

# text -> the shop a person would route it to (None: not clear, the admin decides)
CASES = {
    "RT01 basi": "RDG1", "beli di RDG2 kurang": "RDG2", "rendang uni emi keras": "RDG1",
    "rendang amak ida asin": "RDG2", "rendang bundo salma kurang": "RDG6",
    "galamai durian ada jamurnya": "GLM2", "kacimuih nya basi": "TEH1",
    "pisang salai dari pak udin gosong": "SLE1", "galamai dari ibu ros keras": "GLM1",
    "toko oleh-oleh uni des tutup": "OLH2", "sanjai mande rubiah terlalu pedas": "SNJ4",
    "rendang telur basi": None, "galamai keras": None, "RT01 dan RT02 basi": None,
    "the rendang is not yet here": None, "pesanan saya belum sampai": None,
    "toko tutup terus": None, "oleh-oleh di pusat kota mahal": None,
    "sanjai balado nya melempem": None, "kurir nya kasar sekali": None,
}


def naive(session: Session, text: str) -> str | None:
    shops = session.exec(select(Shop)).all()
    best = process.extractOne(text.lower(), {s.code_key: s.name.lower() for s in shops},
                              scorer=fuzz.partial_ratio, score_cutoff=80)
    return best[2] if best else None


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        seed_demo(engine, datetime.now(timezone.utc))
        with Session(engine) as session:
            for name, find in (("shop_match", lambda t: (s := infer_shop(session, t)) and s.code_key),
                               ("naive partial_ratio", lambda t: naive(session, t))):
                start = time.perf_counter()
                rounds = 20
                for _ in range(rounds):
                    got = {text: find(text) or None for text in CASES}
                elapsed = (time.perf_counter() - start) / (rounds * len(CASES))
                right = sum(got[t] == want for t, want in CASES.items())
                wrong_shop = sum(got[t] is not None and got[t] != want for t, want in CASES.items())
                print(f"{name:20} {right}/{len(CASES)} right, {wrong_shop} sent to a wrong shop, "
                      f"{elapsed * 1000:.2f} ms per complaint (28 shops, 84 products)")
        engine.dispose()


if __name__ == "__main__":
    main()
