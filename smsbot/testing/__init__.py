"""Test helpers, part of the public API so users can test their own keywords.

Transcripts read like the conversation (RapidSMS's scripted tests)::

    conversation.check('''
        08123 > CARI rendang telur
        08123 < 1)RT02 Rendang Telur 250g 19rb ...
        08123 <~ LAGI
    ''')

`>` sends; `<` expects that exact SMS to that number, `<~` an SMS containing the text,
`<!` no SMS at all to that number (rest of line ignored). `@ 2026-12-01T09:00` moves the
simulated clock. Messages go through the same ingest, core, outbox and sender as the
daemon, over an in-memory transport.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from smsbot.clock import parse_iso
from smsbot.contacts.phones import local_form, normalize
from smsbot.messages.limits import Limits
from smsbot.messages.send_settings import Settings
from smsbot.modem.daemon import Daemon
from smsbot.modem.transport.memory import MemoryTransport
from smsbot.sim.chat import SimulatedClock
from smsbot.sms import grammar as grammar_module


@dataclass
class Sent:
    to: str  # local form, 0812...
    text: str
    kind: str
    segments: int
    encoding: str


class Conversation:
    def __init__(self, engine: Engine, start: datetime | str = "2026-11-27T10:00:00",
                 settings: Settings | None = None, limits: Limits | None = None):
        """`settings`: broadcast sending rules (default: the defaults, not $SMSBOT_*);
        `limits`: the per-sender limits (default: off, so a feature's transcript may send
        many SMS from one phone; pass `Limits()` or `Limits.from_env()` for the daemon's)."""
        self.engine = engine
        self.clock = SimulatedClock()
        self.clock.set(parse_iso(start) if isinstance(start, str) else start)
        self.transport = MemoryTransport("test")
        self.outgoing: list[Sent] = []
        self.daemon = Daemon(engine, self.transport, grammar=grammar_module.load(),
                             clock=self.clock.now, on_sent=self._record, timer_interval=0,
                             settings=settings or Settings(),  # defaults, not $SMSBOT_*
                             limits=limits or Limits.off())

    def _record(self, row) -> None:
        self.outgoing.append(Sent(local_form(row.to), row.text, row.kind, row.segments,
                                  row.encoding))

    def advance(self, **delta) -> list[Sent]:
        """Move the clock forward (e.g. hours=2) and return what came due."""
        self.clock.set(self.clock.now() + timedelta(**delta))
        return self.flush()

    def at(self, when: str) -> list[Sent]:
        self.clock.set(parse_iso(when))
        return self.flush()

    def flush(self) -> list[Sent]:
        start = len(self.outgoing)
        while self.daemon.step(force_timers=True).busy:
            pass
        return self.outgoing[start:]

    def send(self, sender: str, text: str) -> list[Sent]:
        """Text the bot; returns every SMS it sent as a result (to anyone)."""
        self.transport.inject(sender, text, sent_at=self.clock.now())
        return self.flush()

    def replies(self, sender: str, text: str) -> list[str]:
        """Texts sent back to `sender` for this message."""
        me = local_form(normalize(sender) or sender)
        return [s.text for s in self.send(sender, text) if s.to == me]

    def check(self, script: str) -> None:
        pending: list[Sent] = []
        for number, raw in enumerate(textwrap.dedent(script).splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@"):
                self._expect_nothing_left(pending, number)
                pending = list(self.at(line[1:].strip()))
                continue
            who, op, text = _split(line, number)
            if op == ">":
                self._expect_nothing_left(pending, number)
                pending = list(self.send(who, text))
                continue
            target = local_form(normalize(who) or who)
            if op == "<!":
                extra = [s for s in pending if s.to == target]
                assert not extra, f"line {number}: expected no SMS to {who}, got {extra}"
                continue
            match = next((s for s in pending if s.to == target and
                          (s.text == text if op == "<" else text in s.text)), None)
            if match is None:
                got = [s.text for s in pending if s.to == target]
                raise AssertionError(f"line {number}: expected {who} {op} {text!r}\n  got: {got}")
            pending.remove(match)
        self._expect_nothing_left(pending, "end")

    @staticmethod
    def _expect_nothing_left(pending: list[Sent], where) -> None:
        assert not pending, f"before line {where}: unexpected SMS {[(s.to, s.text) for s in pending]}"


_LINE = re.compile(r"^(\S+)\s+(<~|<!|>|<)(?: (.*))?$")


def _split(line: str, number: int) -> tuple[str, str, str]:
    match = _LINE.match(line)
    if not match:
        raise ValueError(f"line {number}: expected 'NUMBER > text' or 'NUMBER < text': {line!r}")
    return match.group(1), match.group(2), match.group(3) or ""
