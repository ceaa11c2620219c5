"""The peer of scripts/bench_pipeline.py: Debian's gammu-smsd (files backend) with a
RunOnReceive hook (scripts/bench_peer_hook.py) started once per SMS, the classic
Indonesian SMS-gateway set-up, measured and checked like ours: on Gammu's dummy driver, or
on its AT driver talking to the modem emulator (gammu-smsd takes `connection = proxyat`).
`run_sql_peer`: gammu-smsd's SQL backend with a long-running brain polling its inbox."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_harness import (  # noqa: E402
    ROOT,
    Result,
    account,
    emulator_holds,
    emulator_modem,
    inject,
    seed,
    smsbot_cmd,
    verify,
    wait_rusage,
)

from smsbot.modem.dummy import inbox_files  # noqa: E402
from smsbot.modem.emulator.config import device_command  # noqa: E402
from smsbot.modem.emulator.state import SENT_FILE  # noqa: E402
from tests.modem.smsd_db import DUMMY_PHONE, KNOBS  # noqa: E402

AT_PHONE = """device = {device}
connection = proxyat
model = at
"""
SMSDRC = """[gammu]
{phone}logformat = textall

[smsd]
service = files
inboxpath = {base}/inbox/
outboxpath = {base}/outbox/
sentsmspath = {base}/sent/
errorsmspath = {base}/error/
inboxformat = unicode
runonreceive = {python} {hook}
""" + KNOBS


def ensure_gammu_smsd(install: bool = True) -> str | None:
    """Path of gammu-smsd, installing Debian's package when missing; None if impossible."""
    found = shutil.which("gammu-smsd")
    if found:
        return found
    if install and shutil.which("apt-get") and os.geteuid() == 0:
        print("gammu-smsd missing: apt-get install gammu-smsd ...", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "gammu-smsd"], env=env, check=False,
                       stdout=subprocess.DEVNULL)
    return shutil.which("gammu-smsd")


def run_peer(workdir: Path, messages: list[tuple[str, str]], timeout: float = 3600,
             install: bool = True, driver: str = "dummy",
             sim_capacity: int | None = None) -> Result | None:
    smsd = ensure_gammu_smsd(install)
    if smsd is None:
        print("peer skipped: gammu-smsd is not installed and could not be installed "
              "(apt-get install gammu-smsd as root)", file=sys.stderr)
        return None
    base = workdir / "peer"
    shutil.rmtree(base, ignore_errors=True)
    for sub in ("inbox", "outbox", "sent", "error"):
        (base / sub).mkdir(parents=True)
    db_path = base / "smsbot.db"
    seed(db_path)
    modem = base / "modem"
    if driver == "at":
        emulator_modem(modem, messages, sim_capacity)
        phone = AT_PHONE.format(device=device_command(modem))
    else:
        inject(base, messages)
        phone = DUMMY_PHONE.format(modem=modem.resolve())
    config = base / "smsdrc"
    config.write_text(SMSDRC.format(phone=phone, base=base.resolve(), python=sys.executable,
                                    hook=ROOT / "scripts" / "bench_peer_hook.py",
                                    log=base.resolve() / "smsd.log"))
    result = Result("peer", len(messages))
    env = dict(os.environ, SMSBOT_DB=str(db_path.resolve()), PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    proc = subprocess.Popen([smsd, "-c", str(config)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    done_at = None
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            result.problems.append(f"gammu-smsd exited early ({proc.returncode}); see {base}/smsd.log")
            break
        if _peer_done(base, db_path, len(messages), driver):
            done_at = time.perf_counter()
            break
        time.sleep(0.1)
    else:
        result.problems.append(f"timed out after {timeout:.0f} s")
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        usage = wait_rusage(proc)
    else:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # already reaped by poll()
    result.process_wall = time.perf_counter() - started
    result.wall = (done_at or time.perf_counter()) - started
    account(result, usage)
    verify(result, db_path, modem / SENT_FILE if driver == "at" else base / "smsd.log", messages)
    left = _left_on_modem(base, driver)
    if left:
        result.problems.append(f"{left} SMS left on the modem")
    return result


def _left_on_modem(base: Path, driver: str) -> int:
    return emulator_holds(base / "modem") if driver == "at" else len(inbox_files(base))


def _store_counts(db_path: Path) -> tuple[int, int, int] | None:
    """The brain's store as the peer leaves it: inbound processed, replies queued, replies
    handed over (sent); None while it cannot be read (smsbot is writing)."""
    try:
        with sqlite3.connect(db_path, timeout=1) as con:
            return con.execute(
                "SELECT (SELECT count(*) FROM inboundmessage WHERE status='processed'),"
                " (SELECT count(*) FROM outboxmessage),"
                " (SELECT count(*) FROM outboxmessage WHERE status='sent')").fetchone()
    except sqlite3.Error:
        return None


def _peer_done(base: Path, db_path: Path, n: int, driver: str) -> bool:
    if _left_on_modem(base, driver) or any((base / "outbox").iterdir()):
        return False
    counts = _store_counts(db_path)
    if counts is None:
        return False
    processed, queued, _handed = counts
    sent = sum(1 for _ in (base / "sent").iterdir()) + sum(1 for _ in (base / "error").iterdir())
    return processed >= n and sent >= queued


# -- the SQL peer: gammu-smsd's SQL backend and a long-running brain polling its inbox --------


def run_sql_peer(workdir: Path, messages: list[tuple[str, str]], server: str | None,
                 timeout: float = 3600, install: bool = True) -> Result | None:
    """Debian's gammu-smsd with its PostgreSQL backend on the dummy phone, and the brain
    polling smsd's `inbox` as a long-running process: `smsbot run --smsd` (the same answers
    as ours). Measured like ours: start to the last message smsd sent, CPU of both processes
    (gammu-smsd + the brain; the PostgreSQL server's own CPU is in neither side)."""

    from smsbot.modem.transport.smsd_sql import SmsdSqlTransport
    from smsbot.store.engine import make_engine
    from tests.modem import smsd_db

    smsd = ensure_gammu_smsd(install)
    if smsd is None or not server or server == "none" or smsd_db.sql_file() is None:
        print("SQL peer skipped: needs gammu-smsd (with its pgsql.sql) and a PostgreSQL server "
              "(--smsd-pg URL, or scripts/test's $SMSBOT_TEST_PG)", file=sys.stderr)
        return None
    base = workdir / "peer-sql"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    db_path = base / "smsbot.db"
    seed(db_path)
    url, drop = smsd_db.create_database(server, "bench_smsd")
    try:
        store = make_engine(f"sqlite:///{db_path}")
        SmsdSqlTransport(url, store).open().close()  # the cursor, before smsd's first row
        store.dispose()
        inject(base, messages)
        config = base / "smsdrc"
        config.write_text(smsd_db.sql_smsdrc(
            url, DUMMY_PHONE.format(modem=(base / "modem").resolve()), base.resolve() / "smsd.log"))
        result = Result("peer-sql", len(messages))
        started = time.perf_counter()
        gateway = subprocess.Popen([smsd, "-c", str(config)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        brain = subprocess.Popen([*smsbot_cmd(), "--db", str(db_path), "run", "--smsd", url,
                                  "--poll", "0.05", "--no-scheduler"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        done_at = None
        while time.perf_counter() - started < timeout:
            if gateway.poll() is not None or brain.poll() is not None:
                result.problems.append("gammu-smsd or the brain exited early; see "
                                       f"{base}/smsd.log")
                break
            if _sql_peer_done(base, db_path, url, len(messages)):
                done_at = time.perf_counter()
                break
            time.sleep(0.1)
        else:
            result.problems.append(f"timed out after {timeout:.0f} s")
        cpu, rss = 0.0, 0.0
        for proc in (gateway, brain):
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                usage = wait_rusage(proc)
                cpu += usage.ru_utime + usage.ru_stime
                rss = max(rss, usage.ru_maxrss / 1024)
        result.process_wall = time.perf_counter() - started
        result.wall = (done_at or time.perf_counter()) - started
        result.cpu, result.peak_rss_mb = cpu, rss
        verify(result, db_path, base / "smsd.log", messages)
        if inbox_files(base):
            result.problems.append(f"{len(inbox_files(base))} SMS left on the modem")
        return result
    finally:
        drop()


def _sql_peer_done(base: Path, db_path: Path, url: str, n: int) -> bool:
    """Every SMS answered in the brain's store, and smsd has moved every reply to sentitems."""
    from sqlalchemy import create_engine

    if inbox_files(base):
        return False
    counts = _store_counts(db_path)
    if counts is None:
        return False
    processed, queued, handed = counts
    if processed < n or handed < queued:
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            waiting = c.exec_driver_sql("SELECT count(*) FROM outbox").scalar()
            sent = c.exec_driver_sql('SELECT count(DISTINCT "ID") FROM sentitems').scalar()
    finally:
        engine.dispose()
    return waiting == 0 and sent >= queued
