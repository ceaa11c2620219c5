#!/usr/bin/env python3
"""Pipeline throughput: smsbot's daemon against the classic gammu-smsd + RunOnReceive setup.

    scripts/bench_pipeline.py [--driver dummy|at] [--n N] [--repeat R] [--peer-n K|all]
                              [--peer hook|smsd-sql [--smsd-pg URL]]
                              [--skip-peer] [--sim-capacity C] [--profile]

Both sides get the same SMS (a tenth multipart) in the same kind of modem and answer them
on the seeded demo catalog; both are measured the same way from outside: wall time from
start to the last reply sent, messages per second, peak RSS and CPU seconds of the whole
process tree (os.wait4), and a correctness check (every SMS answered exactly once, in the
database and in what the modem sent).

- `--driver dummy` (default): a Gammu dummy modem folder; sends are read from the Gammu
  debug log's `Recipient number` lines. Defaults: --n 2000, --repeat 3, --peer-n 200.
- `--driver at`: Gammu's real AT driver on the modem emulator (`smsbot modem emulate`,
  connection = proxyat), for both sides; sends are read from the emulator's sent.jsonl. The
  SMS wait in its SIM and phone memory (30 + 100; the rest wait at the "network" and
  arrive as space frees, `--sim-capacity` to change). libGammu's AT SendSMS sleeps 0.7 s per
  part (at-sms.c: 100 ms, 500 ms, 100 ms around the PDU), so both sides are bounded by
  about 1.4 parts/s: defaults --n 60 (about a minute), --repeat 1, --peer-n 20. The
  emulator process is Gammu's child, never reaped by either side: its CPU is in neither.

- Ours: `smsbot run --until-idle` as one subprocess, `--repeat` times (default 3) on fresh
  copies; the figures and the verdict are those of the median run.
- Peer: Debian's `gammu-smsd` (files backend) with `RunOnReceive` starting
  scripts/bench_peer_hook.py once per message; the hook answers through `smsbot chat`'s code
  (smsbot.sim.chat.run_chat) and writes the reply into the smsd outbox as `.smsbackup`.
  gammu-smsd is installed with apt-get if missing; without it the peer is skipped.
  A process start per message costs the same every time, so `--peer-n` can time the peer on
  the first N of the same messages (the rate is per message; the report says so).
- `--peer smsd-sql` (dummy driver): the classic production set-up instead, a fairer peer:
  gammu-smsd with its PostgreSQL backend and a long-running brain polling its `inbox`
  (`smsbot run --smsd`, README: behind an existing gammu-smsd), on a fresh database made
  from the installed gammu-smsd's pgsql.sql on `--smsd-pg` (default $SMSBOT_TEST_PG, the
  cluster scripts/test starts). CPU is gammu-smsd's plus the brain's; the PostgreSQL
  server's is in neither side. --peer-n defaults to all the SMS.

The message mix is data (MIX in scripts/bench_harness.py, which also holds the injection,
the measuring and the checks both sides share; the peer's set-up is scripts/bench_smsd.py);
whatever the bot does with each keyword is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_harness import (  # noqa: E402
    BENCH_ENV,
    ROOT,
    SENDERS,
    Result,
    account,
    build_messages,
    emulator_holds,
    emulator_modem,
    inject,
    seed,
    smsbot_cmd,
    verify,
    wait_rusage,
)
from bench_smsd import run_peer, run_sql_peer  # noqa: E402

from smsbot.modem.dummy import inbox_files, write_config  # noqa: E402
from smsbot.modem.emulator.state import SENT_FILE  # noqa: E402

DEFAULTS = {  # per driver: --n, --repeat, --peer-n (see the module docstring)
    "dummy": (2000, 3, "200"),
    "at": (60, 1, "20"),
}


# -- ours -------------------------------------------------------------------------------------
def run_ours(workdir: Path, messages: list[tuple[str, str]], profile: bool = False,
             py_spy: bool = False, driver: str = "dummy", sim_capacity: int | None = None) -> Result:
    folder = workdir / "ours"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db_path = folder / "smsbot.db"
    seed(db_path)
    if driver == "at":
        config = emulator_modem(folder / "modem", messages, sim_capacity)
    else:
        inject(folder, messages)
        config = write_config(folder)
    result = Result("ours", len(messages))
    command = [*smsbot_cmd(), "--db", str(db_path), "run", "--modem", str(config), "--until-idle",
               "--poll", "0.05"]
    if profile:
        command = [sys.executable, "-m", "pyinstrument", "-o", str(workdir / "profile.txt"),
                   *command]
    elif py_spy:  # sampling, low overhead: collapsed stacks for scripts/profile_summary.py
        command = [str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw",
                   "--rate", "250", "-o", str(workdir / "profile.pyspy.txt"),
                   "--", *command]
    started_wall = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(command)
    usage = wait_rusage(proc)
    result.process_wall = time.perf_counter() - started
    account(result, usage)
    if proc.returncode != 0:
        result.problems.append(f"smsbot run exited {proc.returncode}")
    last_sent = _last_sent(db_path)
    result.wall = (last_sent - started_wall) if last_sent else result.process_wall
    if driver == "at":
        verify(result, db_path, folder / "modem" / SENT_FILE, messages)
        left = emulator_holds(folder / "modem")
    else:
        verify(result, db_path, folder / "gammu.log", messages)
        left = len(inbox_files(folder))
    if left:
        result.problems.append(f"{left} SMS left on the modem")
    return result


def _last_sent(db_path: Path) -> float | None:
    with sqlite3.connect(db_path) as con:
        value = con.execute("SELECT max(sent_at) FROM outboxmessage WHERE status='sent'").fetchone()[0]
    if not value:
        return None
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def median_run(runs: list[Result]) -> Result:
    """The run with the median rate (the slower middle one for an even count): one slow or
    quick moment of a shared machine decides nothing alone."""
    ordered = sorted(runs, key=lambda run: run.rate)
    return ordered[(len(ordered) - 1) // 2]


# -- main ---------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    os.environ.update(BENCH_ENV)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--driver", choices=sorted(DEFAULTS), default="dummy",
                        help="dummy: Gammu's dummy driver (default); at: Gammu's AT driver on "
                             "the modem emulator")
    parser.add_argument("--n", type=int, help="SMS for our daemon (default 2000; at: 60)")
    parser.add_argument("--peer-n",
                        help="SMS for the peer: the first K of the same messages (default 200: "
                             "about a second each; at: 20), or 'all'")
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--peer", choices=("hook", "smsd-sql"), default="hook",
                        help="hook: gammu-smsd files backend + RunOnReceive (default); "
                             "smsd-sql: gammu-smsd's PostgreSQL backend + smsbot run --smsd")
    parser.add_argument("--smsd-pg", default=os.environ.get("SMSBOT_TEST_PG"),
                        help="smsd-sql: a PostgreSQL server URL where a database may be created "
                             "[$SMSBOT_TEST_PG]")
    parser.add_argument("--sim-capacity", type=int,
                        help="at: the emulator's SIM storage (default 30, plus 100 in the phone)")
    parser.add_argument("--profile", action="store_true",
                        help="run ours under pyinstrument; the profile goes to WORKDIR/profile.txt")
    parser.add_argument("--py-spy", action="store_true",
                        help="run ours under py-spy (pip install py-spy); collapsed stacks go to "
                             "WORKDIR/profile.pyspy.txt, summed by scripts/profile_summary.py")
    parser.add_argument("--repeat", type=int,
                        help="runs of ours (default 3; at: 1): this VM's speed drifts by up to "
                             "2x within minutes, so the verdict is on the median run, and the "
                             "slowest and quickest are printed beside it")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    n, repeat, peer_n = DEFAULTS[args.driver]
    args.n = args.n or n
    args.repeat = args.repeat or repeat
    args.peer_n = args.peer_n or ("all" if args.peer == "smsd-sql" else peer_n)
    if args.peer == "smsd-sql" and args.driver != "dummy":
        parser.error("--peer smsd-sql runs on the dummy driver")

    messages = build_messages(args.n)
    print(f"{args.n} SMS, {sum(1 for _s, t in messages if len(t) > 160)} multipart, "
          f"{SENDERS} senders, {args.driver} driver; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    runs = []
    for number in range(max(1, args.repeat)):
        run = run_ours(args.workdir, messages, profile=args.profile, py_spy=args.py_spy,
                       driver=args.driver, sim_capacity=args.sim_capacity)
        print(run.line() + (f"  (run {number + 1})" if args.repeat > 1 else ""))
        runs.append(run)
    ours = median_run(runs)
    if len(runs) > 1:
        rates = sorted(run.rate for run in runs)
        print(f"ours: median {ours.rate:.1f} msg/s ({ours.cpu_per_1000:.2f} CPU s/1000) of "
              f"{len(runs)} runs; slowest {rates[0]:.1f}, quickest {rates[-1]:.1f} msg/s")
    results = [ours, *(run for run in runs if run is not ours)]
    peer = None
    if not args.skip_peer:
        k = args.n if args.peer_n == "all" else min(int(args.peer_n), args.n)
        if args.peer == "smsd-sql":
            peer = run_sql_peer(args.workdir, messages[:k], args.smsd_pg)
        else:
            peer = run_peer(args.workdir, messages[:k], driver=args.driver,
                            sim_capacity=args.sim_capacity)
        if peer:
            print(peer.line() + ("" if k == args.n else f"  (first {k} of the same {args.n} SMS)"))
            results.append(peer)
    if peer and peer.rate:
        print(f"ratio ours/peer: {ours.rate / peer.rate:.1f}x msg/s, "
              f"{peer.cpu_per_1000 / ours.cpu_per_1000:.1f}x less CPU per message")
    if args.driver == "dummy":
        every = "" if len(runs) == 1 else (
            f" (every run: {'yes' if min(r.rate for r in runs) >= 300 else 'no'})")
        print(f"target: ours >= 300 msg/s {'MET' if ours.rate >= 300 else 'NOT MET'}{every}"
              + (f"; >= 20x the peer {'MET' if ours.rate >= 20 * peer.rate else 'NOT MET'}"
                 if peer and peer.rate else ""))
    else:  # no target: libGammu's own sleeps bound both sides
        for result in (ours, peer):
            if result and result.wall:
                print(f"{result.name}: {result.parts} SMS parts sent, {result.parts / result.wall:.2f}"
                      f" parts/s (libGammu's AT SendSMS sleeps allow at most 1.4 parts/s)")
    bad = False
    for result in results:
        for problem in result.problems:
            print(f"{result.name}: PROBLEM: {problem}")
            bad = True
    if args.json:
        args.json.write_text(json.dumps([{**r.__dict__, "rate": r.rate, "cpu_per_1000": r.cpu_per_1000}
                                         for r in results], indent=2))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
