"""Broadcasts: who gets what, when, and the one function that turns a due run into outbox rows.

The Broadcast table is the source of truth for what is due (`next_run_at`). `expand_due`
(a timer, also the APScheduler job in the daemon) writes one outbox row per recipient per run,
in ONE transaction that also moves `next_run_at` on with a compare-and-set: a crash loses the
whole run or nothing, and two callers (the timer and the scheduler) cannot expand a run twice.
Each row also carries `dedupe_key = b<id>:<run>:<phone>` (unique), the last line of defence.

The rows are written by the outbox's one writer (`outbox.enqueue_many`): the same GSM-7 gate
and pages as any reply, the text measured once per language, not per row (100,000 rows in a
few seconds on SQLite).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Iterator

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from smsbot.broadcasts.models import Broadcast, Follow
from smsbot.catalog.models import Shop
from smsbot.clock import LOCAL_TZ, from_db, to_db
from smsbot.contacts.models import Contact
from smsbot.messages import outbox
from smsbot.messages.models import OutboxMessage
from smsbot.search.places import fold, kelurahan as find_kelurahan, places
from smsbot.sms import grammar as grammar_module
from smsbot.sms.context import Reply, Timer

log = logging.getLogger(__name__)

TARGET_KINDS = ("all", "kelurahan", "kecamatan", "follows", "shop")


class BroadcastError(ValueError):
    """A broadcast that cannot be scheduled as asked (bad target, cron, or time)."""


# -- targets ---------------------------------------------------------------------------------
def parse_target(text: str, session: Session | None = None) -> str:
    """Check and normalise `all | kelurahan:NAME | kecamatan:NAME | follows:WORD | shop:CODE`."""
    kind, _, value = (text or "all").strip().partition(":")
    kind = kind.strip().lower()
    value = value.strip()
    if kind not in TARGET_KINDS:
        raise BroadcastError(f"--to must be one of {', '.join(TARGET_KINDS)} (e.g. kelurahan:Ibuah)")
    if kind == "all":
        return "all"
    if not value:
        raise BroadcastError(f"--to {kind}: needs a name, e.g. {kind}:NAME")
    if kind == "kelurahan":
        place = find_kelurahan(value)
        if place is None:
            raise BroadcastError(f"unknown kelurahan {value!r}")
        return f"kelurahan:{place.name}"
    if kind == "kecamatan":
        names = {p.kecamatan for p in places() if p.kecamatan and fold(p.kecamatan) == fold(value)}
        if not names:
            raise BroadcastError(f"unknown kecamatan {value!r}")
        return f"kecamatan:{names.pop()}"
    if kind == "shop":
        code = value.upper()
        if session is not None and session.exec(select(Shop).where(Shop.code_key == code)).first() is None:
            raise BroadcastError(f"unknown shop {value!r}")
        return f"shop:{code}"
    return f"follows:{fold(value)}"


def recipients_query(target: str):
    """SELECT phone, language of the opted-in contacts a target names."""
    query = select(Contact.phone, Contact.language).where(Contact.promo_opt_in == True)  # noqa: E712
    kind, _, value = target.partition(":")
    if kind == "kelurahan":
        query = query.where(Contact.kelurahan == value)
    elif kind == "kecamatan":
        names = [p.name for p in places() if p.kind == "kelurahan" and p.kecamatan == value]
        query = query.where(col(Contact.kelurahan).in_(names))
    elif kind in ("follows", "shop"):
        follow_kind = "word" if kind == "follows" else "shop"
        followers = select(Follow.phone).where(Follow.kind == follow_kind, Follow.value == value)
        query = query.where(col(Contact.phone).in_(followers))
    return query.order_by(Contact.id)


def count_recipients(session: Session, target: str) -> int:
    return session.exec(select(func.count()).select_from(recipients_query(target).subquery())).one()


# -- schedule ----------------------------------------------------------------------------------
def cron_trigger(every: str) -> CronTrigger:
    try:
        return CronTrigger.from_crontab(every, timezone=LOCAL_TZ)
    except ValueError as exc:
        raise BroadcastError(f"--every: {exc} (5 fields: minute hour day month weekday)") from exc


def next_fire(every: str, after: datetime) -> datetime | None:
    """The first cron time strictly after `after` (aware UTC)."""
    fire = cron_trigger(every).get_next_fire_time(None, from_db(after) + timedelta(seconds=1))
    return to_db(fire) if fire else None


def create(session: Session, text: str, at: datetime, now: datetime, *, every: str = "",
           target: str = "all", created_by: str = "cli", status: str = "scheduled",
           shop_id: int | None = None) -> Broadcast:
    text = text.strip()
    if not text:
        raise BroadcastError("the broadcast text is empty")
    target = parse_target(target, session)
    if every:
        cron_trigger(every)
    at = to_db(at)
    broadcast = Broadcast(text=text, target=target, status=status, first_at=at, every=every,
                          next_run_at=at if status == "scheduled" else None,
                          created_by=created_by, shop_id=shop_id, created_at=to_db(now),
                          approved_at=to_db(now) if status == "scheduled" else None)
    session.add(broadcast)
    session.flush()
    return broadcast


def approve(session: Session, broadcast: Broadcast, now: datetime,
            target: str | None = None) -> bool:
    """A pending (seller) broadcast goes out from now (or its own time, if later)."""
    if broadcast.status != "pending":
        return False
    if target:
        broadcast.target = parse_target(target, session)
    broadcast.status = "scheduled"
    broadcast.approved_at = to_db(now)
    broadcast.next_run_at = max(from_db(broadcast.first_at), to_db(now))
    session.add(broadcast)
    return True


def cancel(session: Session, broadcast: Broadcast, now: datetime) -> int:
    """Stop future runs and every queued row; returns how many queued rows were dropped."""
    broadcast.status = "cancelled"
    broadcast.next_run_at = None
    broadcast.cancelled_at = to_db(now)
    session.add(broadcast)
    result = session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.broadcast_id == broadcast.id, OutboxMessage.status == "queued")
        .values(status="cancelled", error="broadcast cancelled"))
    return result.rowcount or 0


def skip_queued_for(session: Session, phone: str) -> int:
    """STOP: every broadcast row queued for this phone is dropped (not sent, not lost)."""
    result = session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.to == phone, OutboxMessage.kind == "broadcast",
               OutboxMessage.status == "queued")
        .values(status="skipped", error="opted out"))
    return result.rowcount or 0


# -- expansion (the timer) -----------------------------------------------------------------
def expand_due(session: Session, now: datetime) -> list[Reply]:
    """Timer: every broadcast run due by `now` becomes outbox rows. Missed cron runs are
    coalesced into one (a daemon down for three days sends one promo, not three)."""
    due = session.exec(
        select(Broadcast).where(*_SCHEDULED, Broadcast.next_run_at <= to_db(now))
        .order_by(Broadcast.next_run_at)
    ).all()
    for broadcast in due:
        expand_run(session, broadcast, now)
    return []


def expand_run(session: Session, broadcast: Broadcast, now: datetime) -> int:
    run_at = from_db(broadcast.next_run_at)
    following = next_fire(broadcast.every, max(run_at, to_db(now))) if broadcast.every else None
    moved = session.exec(
        update(Broadcast)
        .where(Broadcast.id == broadcast.id, Broadcast.status == "scheduled",
               Broadcast.next_run_at == run_at)
        .values(next_run_at=following, runs=Broadcast.runs + 1, last_run_at=run_at,
                status="scheduled" if following else "done"))
    if moved.rowcount != 1:
        return 0  # another worker expanded this run
    queued = outbox.enqueue_many(session, messages(session, broadcast, run_at), now,
                                 broadcast_id=broadcast.id,
                                 dedupe_prefix=dedupe_prefix(broadcast, run_at))
    session.expire(broadcast)
    log.info("broadcast #%s run %s: %d messages queued", broadcast.id, run_at.isoformat(), queued)
    return queued


def texts_for(text: str) -> dict[str, str]:
    """The message per language, with the opt-out footer (the outbox gate fits it to SMS)."""
    grammar = grammar_module.load()
    joint = " " if text.rstrip()[-1:] in ".!?" else ". "
    return {lang: f"{text.rstrip()}{joint}{grammar.render('stop.footer', lang)}"
            for lang in grammar.replies}


def messages(session: Session, broadcast: Broadcast,
             run_at: datetime) -> Iterator[tuple[Reply, None, str]]:
    """One run's messages, one per recipient in their language, for `outbox.enqueue_many`
    (a generator: the rows are built and written a chunk at a time)."""
    texts = texts_for(broadcast.text)
    default = texts["id"]
    not_before = to_db(run_at)
    for phone, language in session.exec(recipients_query(broadcast.target)):
        yield Reply(phone, texts.get(language, default), "broadcast", not_before), None, ""


def dedupe_prefix(broadcast: Broadcast, run_at: datetime) -> str:
    return f"b{broadcast.id}:{run_at.strftime('%Y%m%dT%H%M%S')}:"


def show_next(broadcast: Broadcast) -> str:
    from smsbot.broadcasts.when import show
    return show(broadcast.next_run_at) if broadcast.next_run_at else "-"


def progress(session: Session, broadcast_id: int) -> dict[str, int]:
    """Outbox rows of one broadcast by status (queued, sending, sent, failed, skipped, ...)."""
    rows = session.exec(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.broadcast_id == broadcast_id)
        .group_by(OutboxMessage.status)).all()
    return {status: count for status, count in rows}


def next_run(session: Session) -> datetime | None:
    """When the next scheduled run comes due (indexed on status and next_run_at)."""
    moment = session.exec(select(func.min(Broadcast.next_run_at)).where(*_SCHEDULED)).one()
    return from_db(moment) if moment is not None else None


_SCHEDULED = (Broadcast.status == "scheduled", col(Broadcast.next_run_at).is_not(None))

TIMERS = [Timer(expand_due, next_run)]
