#!/usr/bin/env python3
"""Benchmark: 2 daemons x 2 dummy modems each on one PostgreSQL, against 1 daemon x 1 modem.

Loads N inbound SMS (default 10,000) into the dummy modems' inboxes, runs the daemons with
`smsbot run --until-idle`, and prints total time, messages per second, duplicates and lost
(both must be 0), counted from the database and from Gammu's own send logs.

    scripts/bench_pool.py [--messages 10000] [--pg postgresql+psycopg://...]

Without --pg (or $SMSBOT_TEST_PG) it starts a throwaway PostgreSQL cluster from the
distribution's binaries (as user postgres when run as root) and removes it afterwards.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smsbot.clock import utcnow  # noqa: E402
from smsbot.modem.dummy import drop_sms, write_config  # noqa: E402
from smsbot.sim.seed import seed_demo  # noqa: E402
from smsbot.store import engine as db
from tests.gammu_log import messages as logged_messages  # noqa: E402

MIX = ["CARI galamai", "BANTUAN", "cari rendang telur", "halo", "CARI sanjai balado",
       "LAGI", "cari pisang salai", "brp harga batiah"]
# Long (2-part) SMS; a search, so that every SMS gets exactly one reply to its own sender
# (a KELUHAN would also notify the admin, and the counts below are per sender).
LONG = ("CARI rendang telur yang pedas dan tahan lama untuk oleh-oleh ke Jakarta, kalau bisa yang "
        "dekat dengan pasar Ibuh atau di sekitar pusat kota Payakumbuh, terima kasih banyak uni")


class Cluster:
    """A throwaway PostgreSQL server on a local port."""

    def __init__(self, port: int = 54331):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            sys.exit("PostgreSQL binaries not found: apt-get install postgresql, or pass --pg")
        self.bin, self.port = bins[-1], port
        self.dir = tempfile.mkdtemp(prefix="smsbot-benchpg.")
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")

    def start(self) -> str:
        subprocess.run([*self.as_pg, f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-U",
                        "postgres", "-A", "trust", "--no-sync"], check=True, capture_output=True)
        subprocess.run([*self.as_pg, f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-l",
                        f"{self.dir}/log", "-w", "-o",
                        f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                        "-c max_connections=100", "start"], check=True, capture_output=True)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run([*self.as_pg, f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m",
                        "fast", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def fresh_database(server: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


def load_modems(work: Path, names: list[str], total: int) -> dict[str, Path]:
    """Spread `total` SMS over the modems (inbox folders 1 and 3, 9,999 slots each);
    every tenth is a 2-part SMS. Each sender is unique, so each reply can be counted."""
    configs = {name: write_config(work / name, name=f"{name}.gammurc") for name in names}
    slots = {(name, inbox): 1 for name in names for inbox in (1, 3)}
    for n in range(total):
        name = names[n % len(names)]
        inbox = 1 if (n // len(names)) % 2 == 0 else 3
        body = LONG if n % 10 == 0 else MIX[n % len(MIX)]
        slots[(name, inbox)] += drop_sms(work / name, f"0813{n:08d}", body,
                                         slots[(name, inbox)], inbox=inbox, reference=n)
    return configs


def sends_in_log(log: Path) -> list[str]:
    """Recipients of whole messages in Gammu's log (multipart joined)."""
    return [to for to, _text in logged_messages(log)] if log.exists() else []


def run(label: str, server: str, daemons: list[list[str]], total: int, work: Path) -> dict:
    url = fresh_database(server)
    engine = db.make_engine(url)
    seed_demo(engine, utcnow())
    names = [name for group in daemons for name in group]
    configs = load_modems(work, names, total)
    env = dict(os.environ, SMSBOT_DB=url)
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "smsbot", "run", "--until-idle",
                               "--poll", "0.2", *sum((["--modem", str(configs[n])] for n in group), [])],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for group in daemons]
    errors = [p.communicate()[1] for p in procs]
    elapsed = time.perf_counter() - started
    for proc, err in zip(procs, errors):
        if proc.returncode != 0:
            print(err[-2000:], file=sys.stderr)
    sent = [to for name in names for to in sends_in_log(work / name / "gammu.log")]
    with engine.connect() as connection:
        processed = connection.execute(text(
            "SELECT count(*) FROM inboundmessage WHERE status = 'processed'")).scalar()
        queued = connection.execute(text(
            "SELECT count(*) FROM outboxmessage WHERE status <> 'sent'")).scalar()
    engine.dispose()
    return {"label": label, "seconds": elapsed, "rate": total / elapsed, "answered": len(set(sent)),
            "duplicates": len(sent) - len(set(sent)), "lost": total - len(set(sent)),
            "processed": processed, "unsent": queued}


def main() -> None:
    # it measures the pipeline, not the flood guard: 10,000 SMS in a minute from these senders
    # would be rate-limited and loop-guarded by design
    os.environ.update({"SMSBOT_REPLY_LIMITS": "off", "SMSBOT_LOOP_WINDOW": "0"})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--pg", default=os.environ.get("SMSBOT_TEST_PG") or None)
    args = parser.parse_args()
    cluster = None
    if not args.pg or args.pg == "none":
        cluster = Cluster()
        args.pg = cluster.start()
    try:
        with tempfile.TemporaryDirectory(prefix="smsbot-benchpool.") as tmp:
            results = []
            for label, daemons in (("2 daemons x 2 modems", [["a1", "a2"], ["b1", "b2"]]),
                                   ("1 daemon x 1 modem", [["solo"]])):
                print(f"running {label} on {args.messages} SMS ...", flush=True)
                results.append(run(label, args.pg, daemons, args.messages, Path(tmp) / label[:1]))
    finally:
        if cluster:
            cluster.stop()
    print(f"\n{'setup':24} {'seconds':>8} {'msg/s':>8} {'answered':>9} {'dupes':>6} {'lost':>5}")
    for r in results:
        print(f"{r['label']:24} {r['seconds']:8.1f} {r['rate']:8.1f} {r['answered']:9d} "
              f"{r['duplicates']:6d} {r['lost']:5d}")
    print(f"\npool speed-up: {results[0]['rate'] / results[1]['rate']:.2f}x "
          f"(cores: {os.cpu_count()}; the dummy driver's GetNextSMS dominates both)")
    if any(r["duplicates"] or r["lost"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
