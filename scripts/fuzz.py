#!/usr/bin/env python3
"""Hostile input, 100,000 cases: random and adversarial SMS through the whole router.

    python scripts/fuzz.py                          # 100,000 cases, seed 1, 2 processes
    python scripts/fuzz.py --cases 5000 --seed 7 --jobs 1

Each case is one SMS from a random sender (people, operator IDs, short codes, junk) through
ingest.record + ingest.process on a real SQLite database seeded with the demo catalog
(limits, loop guard, router, handlers, outbox gate). Texts mix SQL fragments, format
strings, template syntax, control characters, lone surrogates, 1,000-character runs, mixed
scripts and emoji (smsbot.testing.hostile); one SMS in ten is the previous one
again, and now and then one sender floods 15 SMS seconds apart. The cases run
in shards of `--shard` cases, each on a fresh database that is checked for consistency at
its end. Prints counts; exit 1 on any crash, gate violation or inconsistency.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime, timedelta, timezone
from pathlib import Path

from smsbot.messages.limits import Limits
from smsbot.sim.seed import seed_demo
from smsbot.sms import grammar as grammar_module
from smsbot.store import engine as db
from smsbot.testing import hostile


def run_shard(folder: Path, shard: int, cases: int, seed: int):
    """One shard on its own database; returns (tally, failures, store problems)."""
    logging.basicConfig(level=logging.ERROR)  # one warning per ignored sender is noise here
    engine = db.make_engine(f"sqlite:///{folder / f'fuzz{shard:03d}.db'}")
    now = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
    seed_demo(engine, now)
    catalog = hostile.catalog_fingerprint(engine)
    grammar, limits = grammar_module.load(), Limits()
    rng = random.Random(seed * 100_003 + shard)
    tally = hostile.Tally()
    failures: list[str] = []
    sender = text = ""
    burst = 0
    for number in range(cases):
        if burst:  # a flood: one sender, many texts, seconds apart (the rate limits)
            burst -= 1
            text = hostile.random_text(rng)
            now += timedelta(seconds=rng.randint(0, 20))
        else:
            if number == 0 or rng.random() >= 0.1:  # else: the same SMS again (loop guard)
                sender, text = hostile.random_sender(rng), hostile.random_text(rng)
            burst = 15 if rng.random() < 0.01 else 0
            now = hostile.advance(now, rng)
        try:
            hostile.run_case(engine, grammar, sender, text, now, limits,
                             uid=f"{shard}.{number}", tally=tally)
        except AssertionError as exc:
            tally.gate_violations += 1
            failures.append(f"shard {shard} case {number}: {sender!r} {text[:80]!r}: {exc}")
        except Exception as exc:  # noqa: BLE001 - counting crashes is the point
            tally.crashes += 1
            failures.append(f"shard {shard} case {number}: {sender!r} {text[:80]!r}: "
                            f"{type(exc).__name__}: {exc}")
    problems = [f"shard {shard}: {p}" for p in hostile.check_db(engine, catalog)]
    engine.dispose()
    return tally, failures, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shard", type=int, default=10_000, help="cases per database")
    parser.add_argument("--jobs", type=int, default=2, help="processes")
    parser.add_argument("--dir", type=Path, default=None, help="keep the databases here")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="smsbot-fuzz-"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [min(args.shard, args.cases - start) for start in range(0, args.cases, args.shard)]
    print(f"fuzz: {args.cases} cases in {len(sizes)} shard(s), seed {args.seed}, "
          f"{args.jobs} process(es), databases in {folder}", flush=True)
    total, failures, problems = hostile.Tally(), [], []
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_shard, folder, n, size, args.seed) for n, size in enumerate(sizes)]
        for done in as_completed(futures):
            tally, shard_failures, shard_problems = done.result()
            total.merge(tally)
            failures += shard_failures
            problems += shard_problems
            print(f"  ... {total.cases} cases, crashes {total.crashes}, gate violations "
                  f"{total.gate_violations}, store problems {len(problems)}, "
                  f"{time.monotonic() - started:.0f} s", flush=True)
    for line in total.lines():
        print(line)
    print(f"store problems:  {len(problems)}")
    for line in (failures + problems)[:20]:
        print("  " + line)
    print(f"CRASHES: {total.crashes}   GATE VIOLATIONS: {total.gate_violations}   "
          f"STORE PROBLEMS: {len(problems)}   ({time.monotonic() - started:.0f} s)")
    return 0 if not failures and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
