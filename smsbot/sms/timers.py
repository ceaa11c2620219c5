"""Timers: work that comes due by the clock, not by an incoming SMS (a seller reminder, an
expired order, a complaint escalation, a scheduled broadcast).

Each timer is a plain function `(session, now) -> list[Reply]`, listed in its domain's
`TIMERS` and included in smsbot.sms.wiring.TIMERS. The daemon runs them every few seconds with the real clock; `smsbot chat` runs them
at every input with the simulated clock. State lives in the database, so they survive
restarts. A timer writes rows (and replies to the outbox); it never touches the modem.
Each timer runs under its own named lock (smsbot.store.locks), so several daemons on one database
never run the same timer at once; a timer must mark what it did (e.g. `reminded_at`) so
the next run finds nothing left to do.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from smsbot.messages import outbox
from smsbot.sms.context import Reply
from smsbot.sms.wiring import TIMERS
from smsbot.store import locks

log = logging.getLogger(__name__)

Timer = Callable[[Session, datetime], list[Reply]]


def run_due(engine: Engine, now: datetime) -> int:
    """Run every timer once, each in its own transaction; returns replies queued."""
    queued = 0
    for timer in TIMERS:
        with Session(engine, expire_on_commit=False) as session:
            try:
                locks.hold(session, f"timer:{timer.__module__}.{timer.__name__}", now)
                replies = timer(session, now)
                for reply in replies:
                    outbox.enqueue(session, reply, now)
                session.commit()
                queued += len(replies)
            except Exception:
                session.rollback()
                log.exception("timer %s failed", getattr(timer, "__name__", timer))
    return queued
