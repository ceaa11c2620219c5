#!/usr/bin/env python3
"""Hostile input, 100,000 cases: random and adversarial SMS through the whole router.

    python scripts/fuzz.py                   # 100,000 cases, seed 1
    python scripts/fuzz.py --cases 5000 --seed 7

Each case is one SMS from a random sender (people, operator IDs, short codes, junk) through
ingest.record + ingest.process on a real SQLite database seeded with the demo catalog
(limits, loop guard, router, handlers, outbox gate). Texts mix SQL fragments, format
strings, template syntax, control characters, lone surrogates, 1,000-character runs, mixed
scripts and emoji (smsbot.hostile). Prints counts; exit 1 on any crash, gate violation or
inconsistency in the store afterwards.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from smsbot import db, grammar as grammar_module, hostile
from smsbot.limits import Limits
from smsbot.seed import seed_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="keep the database here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # one warning per ignored sender is noise here
    folder = args.dir or Path(tempfile.mkdtemp(prefix="smsbot-fuzz-"))
    folder.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(f"sqlite:///{folder / 'fuzz.db'}")
    now = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
    seed_demo(engine, now)
    catalog = hostile.catalog_fingerprint(engine)
    grammar, limits = grammar_module.load(), Limits()
    rng = random.Random(args.seed)
    tally = hostile.Tally()
    failures: list[str] = []
    started = time.monotonic()
    print(f"fuzz: {args.cases} cases, seed {args.seed}, database {folder / 'fuzz.db'}")
    sender = text = ""
    for number in range(args.cases):
        if rng.random() < 0.1:  # the same SMS again: the loop guard's case
            pass
        else:
            sender, text = hostile.random_sender(rng), hostile.random_text(rng)
        now = hostile.advance(now, rng)
        try:
            hostile.run_case(engine, grammar, sender, text, now, limits, uid=str(number),
                             tally=tally)
        except AssertionError as exc:
            tally.gate_violations += 1
            failures.append(f"case {number}: {sender!r} {text[:80]!r}: {exc}")
        except Exception as exc:  # noqa: BLE001 - counting crashes is the point
            tally.crashes += 1
            failures.append(f"case {number}: {sender!r} {text[:80]!r}: {type(exc).__name__}: {exc}")
        if (number + 1) % 10_000 == 0:
            print(f"  ... {number + 1} cases, crashes {tally.crashes}, gate violations "
                  f"{tally.gate_violations}, {time.monotonic() - started:.0f} s", flush=True)
    problems = hostile.check_db(engine, catalog)
    for line in tally.lines():
        print(line)
    print(f"store problems:  {len(problems)}")
    for line in (failures + problems)[:20]:
        print("  " + line)
    print(f"CRASHES: {tally.crashes}   GATE VIOLATIONS: {tally.gate_violations}   "
          f"STORE PROBLEMS: {len(problems)}   ({time.monotonic() - started:.0f} s)")
    engine.dispose()
    return 0 if not failures and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
