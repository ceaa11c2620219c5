"""Timers: work that comes due by the clock, not by an incoming SMS (a seller reminder, an
expired order, a complaint escalation, a scheduled broadcast).

Each timer is a plain function `(session, now) -> list[Reply]`, listed in its domain's
`TIMERS` and included in smsbot.sms.wiring.TIMERS. The daemon runs them every few seconds with the real clock; `smsbot chat` runs them
at every input with the simulated clock. State lives in the database, so they survive
restarts. A timer writes rows (and replies to the outbox); it never touches the modem.
Each timer runs under its own named lock (smsbot.store.locks), so several daemons on one database
never run the same timer at once; a timer must mark what it did (e.g. `reminded_at`) so
the next run finds nothing left to do. `run_one` is the only way a timer is run: the
daemon's loop calls it for every timer, and the APScheduler job (smsbot.broadcasts.scheduler)
for the broadcast timer, under the same lock.
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
    return sum(run_one(engine, timer, now) or 0 for timer in TIMERS)


def run_one(engine: Engine, timer: Timer, now: datetime) -> int | None:
    """Run `timer` in its own transaction under its named lock and queue its replies;
    returns how many, or None when it failed (logged and rolled back: the next run retries)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            locks.hold(session, lock_name(timer), now)
            replies = timer(session, now)
            for reply in replies:
                outbox.enqueue(session, reply, now)
            session.commit()
            return len(replies)
        except Exception:
            session.rollback()
            log.exception("timer %s failed", getattr(timer, "__name__", timer))
            return None


def lock_name(timer: Timer) -> str:
    return f"timer:{timer.__module__}.{timer.__name__}"
