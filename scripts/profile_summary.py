#!/usr/bin/env python3
"""Sum py-spy's collapsed stacks (`py-spy record --format raw`, e.g. from
`scripts/bench_pipeline.py --py-spy`) into the costs the README's Performance section lists.

    scripts/profile_summary.py var/bench/profile.pyspy.txt [--top 25] [--match TEXT]

Prints the share of samples (of the whole run) spent inside each function (inclusive; a
function counted once per stack even when recursive) and directly in it (self), and the
named areas below, which is how the README reports the top costs.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

# area -> frame substrings; a sample goes to the first area any of its frames matches,
# looked up from the innermost frame outwards (so CARI's look-ups are not also "CARI").
AREAS: list[tuple[str, tuple[str, ...]]] = [
    ("CARI ratings/promo look-ups", ("_decorate (smsbot/handlers/cari.py",)),
    ("KELUHAN shop inference", ("infer_shop (smsbot/shop_match.py",)),
    ("conversation state", ("(smsbot/state.py",)),
    ("limits and contacts", ("(smsbot/limits.py", "(smsbot/contacts.py")),
    ("CARI (rest)", ("(smsbot/handlers/cari.py", "(smsbot/handlers/fallback.py")),
    ("KELUHAN (rest)", ("(smsbot/handlers/keluhan.py",)),
    ("PESAN", ("(smsbot/handlers/pesan.py",)),
    ("LOKASI", ("(smsbot/handlers/lokasi.py",)),
    ("router and other handlers", ("handle_message (smsbot/core.py",)),
    ("ingest: batches, outbox rows", ("(smsbot/ingest.py",)),
    ("modem: GetNextSMS/GetSMSStatus", ("receive (smsbot/transport/gammu_modem.py",)),
    ("send loop (claim, SendSMS, sent commit)", ("_send (smsbot/daemon.py",)),
    ("daemon (rest)", ("(smsbot/daemon.py",)),
]
OUTSIDE = "start-up and exit (imports, engine, grammar; outside Daemon.run)"

_LINE = re.compile(r"^(.*) (\d+)$")


def load(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text().splitlines():
        match = _LINE.match(line)
        if match:
            frames = [re.sub(r":\d+\)$", ")", f) for f in match.group(1).split(";")]
            stacks.append((frames, int(match.group(2))))
    return stacks


def area_of(frames: list[str]) -> str:
    if not any(f.startswith("Daemon.run (") for f in frames):
        return OUTSIDE
    for frame in reversed(frames):
        for name, needles in AREAS:
            if any(n in frame for n in needles):
                return name
    return "other"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only functions whose frame contains this")
    args = parser.parse_args()
    stacks = load(args.profile)
    total = sum(n for _f, n in stacks) or 1
    inclusive: Counter = Counter()
    own: Counter = Counter()
    areas: Counter = Counter()
    for frames, n in stacks:
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
        areas[area_of(frames)] += n
    print(f"{total} samples")
    print("\nby area (each sample once, innermost match wins):")
    for name, n in areas.most_common():
        print(f"  {100 * n / total:5.1f}%  {name}")
    print(f"\ninclusive (top {args.top}):")
    for frame, n in inclusive.most_common():
        if args.match in frame:
            print(f"  {100 * n / total:5.1f}%  self {100 * own[frame] / total:5.1f}%  {frame}")
            args.top -= 1
            if args.top <= 0:
                break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
