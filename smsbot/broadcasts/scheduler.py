"""APScheduler in the daemon: one persistent job that expands due broadcasts into outbox rows.

The job store is APScheduler's SQLAlchemyJobStore on smsbot's own database (table
`apscheduler_jobs`), used by this daemon's scheduler only. The job has an explicit id and
`replace_existing=True` (a restart updates it instead of adding a second one), `coalesce=True`
(runs missed while the daemon was down collapse into one) and an explicit misfire grace time
(APScheduler's default of 1 s would silently skip a run that came due during a restart).

The job only writes rows; the modem loop is the only sender. What is due is decided by the
Broadcast table, not by the job store, so the same expansion also runs from the daemon's
timers and from `smsbot chat` with a simulated clock; expanding a run twice is impossible
(see smsbot.broadcasts.runs).
"""

from __future__ import annotations

import logging
from functools import lru_cache

from sqlalchemy.engine import Engine
from sqlmodel import Session

from smsbot.broadcasts import runs as broadcasts
from smsbot.clock import utcnow
from smsbot.store import engine as db

log = logging.getLogger(__name__)

JOB_ID = "smsbot-expand-broadcasts"
JOB_INTERVAL_SECONDS = 30
MISFIRE_GRACE_SECONDS = 15 * 60


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return db.make_engine(url, create=False)


def expand_broadcasts(url: str) -> int:
    """The job (referenced by name in the job store, so its only argument is the DB URL)."""
    with Session(_engine(url), expire_on_commit=False) as session:
        try:
            broadcasts.expand_due(session, utcnow())
            session.commit()
        except Exception:
            session.rollback()
            log.exception("broadcast expansion failed (the next run retries)")
            return 1
    return 0


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
    scheduler.add_job("smsbot.broadcasts.scheduler:expand_broadcasts", "interval",
                      seconds=JOB_INTERVAL_SECONDS, args=[url], id=JOB_ID,
                      replace_existing=True, coalesce=True, max_instances=1,
                      misfire_grace_time=MISFIRE_GRACE_SECONDS)


def start_scheduler(url: str, engine: Engine):
    scheduler = make_scheduler(url, engine)
    scheduler.start()
    add_job(scheduler, url)
    log.info("scheduler started (job %s every %d s)", JOB_ID, JOB_INTERVAL_SECONDS)
    return scheduler
