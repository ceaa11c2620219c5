"""APScheduler in the daemon: one persistent job that expands due broadcasts into outbox rows.

The job store is APScheduler's SQLAlchemyJobStore on smsbot's own database (table
`apscheduler_jobs`), used by this daemon's scheduler only. The job has an explicit id and
`replace_existing=True` (a restart updates it instead of adding a second one), `coalesce=True`
(runs missed while the daemon was down collapse into one) and an explicit misfire grace time
(APScheduler's default of 1 s would silently skip a run that came due during a restart).

Two triggers, one path. The broadcast expansion is a timer (smsbot.broadcasts.runs.TIMERS),
run by every daemon's loop and by `smsbot chat` with a simulated clock; the job runs that
same timer through `smsbot.sms.timers.run_one`, under the same named lock, so the job and the
loops of several daemons never expand at once and a fix to how timers run reaches both. The
job is kept rather than dropped because it is the persistent, coalescing trigger the style
guide asks for (a daemon started with its loop busy still expands on time); the loop's
trigger is kept because `smsbot chat` and `--no-scheduler` daemons have no scheduler.
What is due is decided by the Broadcast table, not by the job store; the job only writes
rows, and the modem loop is the only sender.

Job stores written before the package restructure reference `smsbot.scheduler:expand_broadcasts`;
smsbot/scheduler.py keeps that name resolving to `expand_broadcasts` here.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from sqlalchemy.engine import Engine

from smsbot.broadcasts import runs as broadcasts
from smsbot.clock import utcnow
from smsbot.sms import timers
from smsbot.store import engine as db

log = logging.getLogger(__name__)

JOB_ID = "smsbot-expand-broadcasts"
JOB_INTERVAL_SECONDS = 30
MISFIRE_GRACE_SECONDS = 15 * 60


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return db.make_engine(url, create=False)


def expand_broadcasts(url: str) -> int:
    """The job (referenced by name in the job store, so its only argument is the DB URL):
    the broadcast timer, run as the daemon's loop runs it. 0 when it ran, 1 when it failed
    (logged; the next run retries)."""
    return 0 if timers.run_one(_engine(url), broadcasts.expand_due, utcnow()) is not None else 1


def make_scheduler(url: str, engine: Engine):
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        timezone="UTC")
    return scheduler


def add_job(scheduler, url: str) -> None:
    # APScheduler stores the function by its import path (smsbot.broadcasts.scheduler:...)
    scheduler.add_job(expand_broadcasts, "interval",
                      seconds=JOB_INTERVAL_SECONDS, args=[url], id=JOB_ID,
                      replace_existing=True, coalesce=True, max_instances=1,
                      misfire_grace_time=MISFIRE_GRACE_SECONDS)


def start_scheduler(url: str, engine: Engine):
    scheduler = make_scheduler(url, engine)
    scheduler.start()
    add_job(scheduler, url)
    log.info("scheduler started (job %s every %d s)", JOB_ID, JOB_INTERVAL_SECONDS)
    return scheduler
