"""The APScheduler job: the same locked timer run as the daemon's loop, and job stores
written before the package restructure still find it."""

from sqlmodel import Session, func, select

from smsbot.broadcasts import scheduler
from smsbot.messages.models import OutboxMessage
from smsbot.store.models import Lock

from .test_broadcasts import opt_in, schedule

PHONE = "081300000100"


def queued(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage)
                            .where(OutboxMessage.kind == "broadcast")).one()


def test_a_job_stored_under_the_old_module_name_still_runs(seeded):
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    url = seeded.url.render_as_string(hide_password=False)
    old = scheduler.make_scheduler(url, seeded)
    old.start(paused=True)
    try:  # what a database set up before the restructure holds
        old.add_job("smsbot.scheduler:expand_broadcasts", "interval", seconds=30, args=[url],
                    id=scheduler.JOB_ID, replace_existing=True)
    finally:
        old.shutdown(wait=False)
    [job] = SQLAlchemyJobStore(engine=seeded).get_all_jobs()  # an unresolvable one is dropped
    assert job.func is scheduler.expand_broadcasts
    opt_in(seeded, PHONE)
    schedule(seeded, "Sekarang", "2026-01-01T09:00")  # long due
    assert job.func(*job.args) == 0
    assert queued(seeded) == 1


def test_the_job_runs_the_broadcast_timer_under_the_loops_lock(seeded):
    url = seeded.url.render_as_string(hide_password=False)
    opt_in(seeded, PHONE)
    schedule(seeded, "Sekarang", "2026-01-01T09:00")
    assert scheduler.expand_broadcasts(url) == 0
    with Session(seeded) as session:
        lock = session.get(Lock, "timer:smsbot.broadcasts.runs.expand_due")
        assert lock is not None and lock.held_at is not None  # the name timers.run_due holds
    assert queued(seeded) == 1
