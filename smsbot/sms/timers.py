"""Timers: work that comes due by the clock, not by an incoming SMS (a seller reminder, an
expired order, a complaint escalation, a scheduled broadcast).

Each timer is a `Timer(run, next_due)` (smsbot.sms.context), listed in its domain's `TIMERS`
and included in smsbot.sms.wiring.TIMERS. `run_due(engine, now)` is called by the daemon's
loop at every step and by `smsbot chat` at every input, with the clock they pass in: it
costs nothing until something can be due. It asks every timer's `next_due` (one indexed
query each, O(rows waiting)) and runs only the timers due by `now`; then it asks nothing
again until the earliest next moment passes, a session of this process writes one of the
timers' tables, or `every` of the passed clock has gone by (what other processes, such as
the web or a CLI, wrote is seen within `every`). So the work per SMS does not grow with the
catalog, the contacts or the orders.

State lives in the database, so they survive restarts. A timer writes rows (and replies to
the outbox); it never touches the modem. Each timer runs under its own named lock
(smsbot.store.locks), so several daemons on one database never run the same timer at once;
a timer must mark what it did (e.g. `reminded_at`) so the next run finds nothing left to do.
`run_one` is the only way a timer is run: `run_due` calls it for every due timer, and the
APScheduler job (smsbot.broadcasts.scheduler) for the broadcast timer, under the same lock.
"""

from __future__ import annotations

import logging
import threading
import weakref
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from smsbot.broadcasts.models import Broadcast
from smsbot.crm.models import Complaint
from smsbot.messages import outbox
from smsbot.orders.models import Order, SubOrder
from smsbot.sms.context import Reply
from smsbot.sms.wiring import TIMERS
from smsbot.store import locks, txcache

log = logging.getLogger(__name__)

Timer = Callable[[Session, datetime], list[Reply]]


EVERY = timedelta(seconds=10)  # how stale the schedule may get on others' writes


def run_due(engine: Engine, now: datetime, every: timedelta = EVERY) -> int:
    """Run the timers due by `now`, each in its own transaction; returns replies queued.
    `every=timedelta(0)` asks the database at once (tests that write behind its back)."""
    schedule = _schedule(engine)
    with schedule.lock:
        if schedule.nothing_due(now, every):
            return 0
        schedule.changed = False  # a write from here on is seen by the next call
        with Session(engine) as session:
            moments = [(timer, timer.next_due(session)) for timer in TIMERS]
        queued = 0
        later = []
        for timer, moment in moments:
            if moment is not None and moment <= now:
                queued += run_one(engine, timer, now) or 0
            elif moment is not None:
                later.append(moment)
        schedule.looked_at = now
        schedule.next_at = min(later, default=None)
        return queued


class _Schedule:
    """What `run_due` learnt at its last look, per database."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.changed = True  # a timer's table was written since the last look
        self.looked_at: datetime | None = None
        self.next_at: datetime | None = None  # nothing is due before (None: nothing waits)

    def nothing_due(self, now: datetime, every: timedelta) -> bool:
        """Nothing can have come due since the last look (a clock set back looks again)."""
        if self.changed or self.looked_at is None:
            return False
        if not self.looked_at <= now < self.looked_at + every:
            return False
        return self.next_at is None or now < self.next_at


_SCHEDULES: "weakref.WeakKeyDictionary[Engine, _Schedule]" = weakref.WeakKeyDictionary()
_SCHEDULES_LOCK = threading.Lock()


def _schedule(engine: Engine) -> _Schedule:
    with _SCHEDULES_LOCK:
        schedule = _SCHEDULES.get(engine)
        if schedule is None:
            schedule = _SCHEDULES[engine] = _Schedule()
        return schedule


def _timer_tables_written(session) -> None:
    bind = session.get_bind()
    schedule = _SCHEDULES.get(getattr(bind, "engine", bind))
    if schedule is not None:
        schedule.changed = True


# The tables whose rows the timers wait on (a new draft, a YA, a complaint, a broadcast).
TABLES = tuple(model.__tablename__ for model in (Order, SubOrder, Complaint, Broadcast))
txcache.watch(TABLES, _timer_tables_written)


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
            log.exception("timer %s failed", lock_name(timer))
            return None


def lock_name(timer: Timer) -> str:
    run = getattr(timer, "run", timer)  # a Timer, or its bare function (the scheduler's job)
    return f"timer:{run.__module__}.{run.__name__}"
