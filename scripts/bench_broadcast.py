#!/usr/bin/env python
"""Broadcast benchmark. Run: .venv/bin/python scripts/bench_broadcast.py

1. Enqueue: one broadcast to 100,000 opted-in contacts, expanded by the real timer
   (smsbot.broadcasts.runs.expand_due, which writes through smsbot.messages.outbox.enqueue_many:
   executemany INSERTs, the text through the gate once) vs the naive way
   (smsbot.messages.outbox.enqueue per row through the ORM, measured on 10,000 rows, scaled up).
2. Drain: a 10,000-message broadcast backlog on a simulated modem sending 6 per minute
   (one send slot = 10 s), with interactive replies arriving at random (one a minute on
   average) during the first two hours. The wait of each reply in send slots (0 = sent in the
   very next slot) with the daemon's own claim (each slot a send step: smsbot.messages.outbox.due
   reads a batch, smsbot.messages.outbox.claim takes the first row SendPolicy admits, on one held
   connection, as smsbot.modem.daemon does) vs a FIFO outbox (oldest row first) in the same run.
   Quiet hours are off for the drain (it spans more than a day); the daily cap is on (each
   contact gets one message).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, col, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smsbot.broadcasts import runs as broadcasts  # noqa: E402
from smsbot.broadcasts.send_policy import SendPolicy  # noqa: E402
from smsbot.contacts.models import Contact  # noqa: E402
from smsbot.messages import outbox  # noqa: E402
from smsbot.messages.models import OutboxMessage  # noqa: E402
from smsbot.messages.send_settings import Settings  # noqa: E402
from smsbot.sms.context import Reply  # noqa: E402
from smsbot.store import engine as db  # noqa: E402

START = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # 09:00 in Payakumbuh
SLOT = timedelta(seconds=10)  # 6 per minute
TEXT = "Bazar UMKM Payakumbuh Sabtu 09:00 di GOR Kubu Gadang: rendang, galamai, sanjai diskon"


def add_contacts(engine, count: int) -> None:
    rows = [{"phone": f"+6281{n:09d}", "name": "", "role": "buyer", "language": "id",
             "promo_opt_in": True, "pin_hash": "", "kelurahan": "", "created_at": START}
            for n in range(count)]
    with Session(engine) as session:
        session.execute(insert(Contact), rows)
        session.commit()


def bench_enqueue(folder: Path, count: int, naive_count: int) -> None:
    engine = db.make_engine(f"sqlite:///{folder / 'enqueue.db'}")
    add_contacts(engine, count)
    with Session(engine) as session:
        broadcasts.create(session, TEXT, START, START)
        session.commit()
    with Session(engine) as session:
        began = time.perf_counter()
        broadcasts.expand_due(session, START)
        session.commit()
        took = time.perf_counter() - began
        queued = session.exec(select(OutboxMessage.id).where(OutboxMessage.kind == "broadcast")).all()
    print(f"enqueue, bulk (smsbot):     {len(queued):>7,} rows in {took:6.2f} s "
          f"({len(queued) / took:,.0f} rows/s)   target <= 5 s")

    naive = db.make_engine(f"sqlite:///{folder / 'naive.db'}")
    with Session(naive) as session:
        began = time.perf_counter()
        for n in range(naive_count):
            outbox.enqueue(session, Reply(f"+6281{n:09d}", TEXT + " Balas STOP utk berhenti.",
                                          "broadcast"), START)
        session.commit()
        took_naive = time.perf_counter() - began
    scaled = took_naive * count / naive_count
    print(f"enqueue, naive ORM per row: {naive_count:>7,} rows in {took_naive:6.2f} s "
          f"-> {scaled:6.1f} s for {count:,} (scaled)")
    engine.dispose()
    naive.dispose()


def claim_fifo(session: Session, now: datetime) -> OutboxMessage | None:
    row = session.exec(select(OutboxMessage).where(OutboxMessage.status == "queued")
                       .order_by(col(OutboxMessage.id)).limit(1)).first()
    if row is not None:
        row.status, row.sending_at = "sending", now
        session.add(row)
        session.commit()
    return row


def drain(folder: Path, name: str, backlog: int, arrivals: list[float], fifo: bool,
          batch: int = 10) -> list[int]:
    engine = db.make_engine(f"sqlite:///{folder / f'drain-{name}.db'}")
    add_contacts(engine, backlog)
    with Session(engine) as session:
        broadcasts.create(session, TEXT, START, START)
        session.commit()
        broadcasts.expand_due(session, START)
        session.commit()
    policy = SendPolicy(Settings(quiet_hours=None))
    pending = sorted(arrivals)
    waits: list[int] = []
    asked: dict[int, int] = {}  # outbox id -> first slot the reply could use
    slot = 0
    with engine.connect() as connection, \
            Session(bind=connection, expire_on_commit=False) as session:
        while pending or asked:
            now = START + slot * SLOT
            while pending and pending[0] <= slot * SLOT.total_seconds():
                arrived = pending.pop(0)
                row = outbox.enqueue(session, Reply("+6289900000001", "1)GL01 Galamai 50rb"),
                                     START + timedelta(seconds=arrived))
                session.commit()
                asked[row.id] = math.ceil(arrived / SLOT.total_seconds())
            row = claim_fifo(session, now) if fifo else send_step(connection, session, now, policy,
                                                                   batch)
            if row is not None:
                outbox.mark_sent(connection, row, "bench", now)
                if row.id in asked:
                    waits.append(slot - asked.pop(row.id))
            slot += 1
    engine.dispose()
    return waits


def send_step(connection, session: Session, now: datetime, policy: SendPolicy,
              batch: int) -> OutboxMessage | None:
    """One slot of the daemon's send loop (smsbot.modem.daemon.Daemon._send): read a batch
    with outbox.due, claim the first row the claim admits; the modem sends one SMS a slot."""
    rows = outbox.due(session, now, batch, broadcasts=policy.broadcasts_open(now))
    session.commit()
    for row in rows:
        if outbox.claim(connection, session, row, now, admit=policy.admit):
            return row
    return None


def describe(waits: list[int]) -> str:
    ordered = sorted(waits)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
    return (f"replies {len(waits)}, wait in slots: median {statistics.median(waits):g}, "
            f"p99 {p99}, max {max(waits)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--naive", type=int, default=10_000)
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument("--hours", type=float, default=2.0, help="replies arrive during this")
    parser.add_argument("--batch", type=int, default=10,
                        help="rows read per send step (the daemon reads 200 per step of ~5 s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_enqueue(folder, args.contacts, args.naive)
        rng = random.Random(6)
        arrivals, moment = [], 0.0
        while True:
            moment += rng.expovariate(1 / 60)
            if moment > args.hours * 3600:
                break
            arrivals.append(moment)
        for name, fifo in (("priority (smsbot)", False), ("FIFO baseline", True)):
            began = time.perf_counter()
            waits = drain(folder, name.split()[0], args.backlog, arrivals, fifo, args.batch)
            print(f"drain {args.backlog:,} at 6/min, {name:18}: {describe(waits)} "
                  f"[{time.perf_counter() - began:.0f} s to simulate]")
        print("target: p99 <= 1 slot (one slot = 10 s at 6 messages per minute)")


if __name__ == "__main__":
    main()
