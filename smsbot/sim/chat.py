"""`smsbot chat`: the scripting contract.

Reads JSON lines `{"from": PHONE, "text": TEXT, "at": ISO-8601}` (`at` optional; a line with
only `at` advances the clock) and writes one JSON line per outgoing SMS:
`{"to", "text", "segments", "encoding", "kind"}`. Each input goes through the same core,
outbox and sender as the daemon (in-memory transport, simulated clock), and everything it
caused, or that came due by its `at`, is written before the next line is read. Timers cost
nothing on a line unless something can be due (smsbot.sms.timers.run_due).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Iterable, TextIO

from sqlalchemy.engine import Engine

from smsbot.clock import parse_iso, utcnow
from smsbot.modem.daemon import Daemon
from smsbot.modem.transport.memory import MemoryTransport
from smsbot.sms.grammar import Grammar


class SimulatedClock:
    """Real time until a line sets `at`; then it stays where the script put it."""

    def __init__(self) -> None:
        self.moment: datetime | None = None

    def now(self) -> datetime:
        return self.moment or utcnow()

    def set(self, moment: datetime) -> None:
        self.moment = moment


def run_chat(engine: Engine, lines: Iterable[str], out: TextIO, grammar: Grammar,
             err: TextIO = sys.stderr) -> int:
    """Returns the number of input lines that could not be used (reported on `err`)."""
    clock = SimulatedClock()
    transport = MemoryTransport("chat")

    def emit(row) -> None:
        out.write(json.dumps({"to": row.to, "text": row.text, "segments": row.segments,
                              "encoding": row.encoding, "kind": row.kind},
                             ensure_ascii=False) + "\n")
        out.flush()

    daemon = Daemon(engine, transport, grammar=grammar, clock=clock.now, on_sent=emit)
    bad = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
            if not isinstance(event, dict):
                raise ValueError("expected a JSON object")
            if "at" in event and event["at"] is not None:
                clock.set(parse_iso(str(event["at"])))
            if "from" in event:
                text = event.get("text")
                transport.inject(str(event["from"]), "" if text is None else str(text),
                                 sent_at=clock.now())
            elif "at" not in event:
                raise ValueError('needs "from" and "text", or "at"')
        except (ValueError, TypeError) as exc:
            bad += 1
            err.write(f"smsbot chat: line {number}: {exc}\n")
            err.flush()
            continue
        while daemon.step().busy:
            pass
    return bad
