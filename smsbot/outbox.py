"""The outbox table: the only road to the modem.

Rows are written by the core (replies), by timers and by the scheduler; only the transport
loop claims and sends them. A row is marked `sending` (committed) before the modem is
touched and `sent` (committed) after, so a crash never loses a row. A row found `sending`
at start-up was interrupted inside the modem call; it is queued again (the only window in
which one SMS can go out twice is the modem call itself).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import or_, true, update
from sqlmodel import Session, col, select

from .clock import to_db
from .context import Reply
from .gsm7 import measure, to_gsm7
from .models import PRIORITY, OutboxMessage

MAX_ATTEMPTS = 3
HANDOVER = timedelta(seconds=30)  # then any modem may send a row meant for another
RETRY_BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))


def enqueue(session: Session, reply: Reply, now: datetime, *, inbound_id: int | None = None,
            modem: str = "") -> OutboxMessage:
    """Queue one SMS. Every text passes the GSM-7 gate here; segments are counted from
    Gammu's own encoder."""
    text = to_gsm7(reply.text)
    encoding = measure(text)
    row = OutboxMessage(
        to=reply.to, text=text, kind=reply.kind, priority=PRIORITY.get(reply.kind, 10),
        segments=encoding.segments, encoding=encoding.encoding, inbound_id=inbound_id,
        modem=modem, created_at=to_db(now),
        not_before=to_db(reply.not_before) if reply.not_before else None,
    )
    session.add(row)
    return row


def _due(now: datetime):
    return or_(col(OutboxMessage.not_before).is_(None), OutboxMessage.not_before <= to_db(now))


def _mine(modem: str, now: datetime):
    if not modem:
        return true()
    return or_(OutboxMessage.modem == "", OutboxMessage.modem == modem,
               OutboxMessage.created_at <= to_db(now - HANDOVER))


# `(session, row, now) -> bool`: may this broadcast row go now? (smsbot.sendpolicy)
Admit = Callable[[Session, OutboxMessage, datetime], bool]


def claim_next(session: Session, now: datetime, modem: str = "", *, broadcasts: bool = True,
               admit: Admit | None = None, max_passes: int = 200) -> OutboxMessage | None:
    """Take the most urgent due row and mark it `sending` (committed before the modem call).
    Higher priority first, then oldest: a reply never waits behind a broadcast. A row meant
    for another modem (a reply leaves through the modem that received the question: same
    operator, cheaper) is taken only after HANDOVER, e.g. when that modem has failed.

    `broadcasts=False` (quiet hours, throttle full) leaves broadcast rows queued; `admit`
    may skip or defer a broadcast row (opt-out, daily cap), which is committed at once. After
    `max_passes` refusals it returns None, so a long run of refusals never keeps the daemon
    from reading the inbox (the next step goes on where this one stopped).

    Safe with several senders: candidates are read with FOR UPDATE SKIP LOCKED on
    PostgreSQL (ignored on SQLite), and a row is only ours if the conditional UPDATE
    queued -> sending matched it."""
    for _ in range(max_passes):
        query = select(OutboxMessage).where(OutboxMessage.status == "queued", _due(now),
                                            _mine(modem, now))
        if not broadcasts:
            query = query.where(OutboxMessage.kind != "broadcast")
        row = session.exec(
            query.order_by(col(OutboxMessage.priority).desc(), OutboxMessage.id)
            .limit(1).with_for_update(skip_locked=True)
        ).first()
        if row is None:
            session.rollback()
            return None
        if admit is not None and row.kind == "broadcast" and not admit(session, row, now):
            session.commit()
            continue
        claimed = session.exec(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.status == "queued")
            .values(status="sending", attempts=OutboxMessage.attempts + 1, sending_at=to_db(now),
                    **({"modem": modem} if modem else {}))
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if claimed.rowcount == 1:
            session.refresh(row)
            return row
    return None


def mark_sent(session: Session, row: OutboxMessage, reference: str, now: datetime,
              modem: str = "") -> None:
    row.status = "sent"
    row.modem_ref = reference
    row.sent_at = to_db(now)
    if modem:
        row.modem = modem
    row.error = ""
    session.add(row)
    session.commit()


def mark_failed(session: Session, row: OutboxMessage, error: str, now: datetime,
                *, permanent: bool = False) -> None:
    """Retry with backoff up to MAX_ATTEMPTS; then (or at once, if permanent) `failed`.
    A failing number is pushed back, so it never blocks the rest of the queue."""
    row.error = error[:500]
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
    else:
        row.status = "queued"
        row.not_before = to_db(now + RETRY_BACKOFF[min(row.attempts, len(RETRY_BACKOFF)) - 1])
    session.add(row)
    session.commit()


def requeue_interrupted(session: Session, modems: list[str] | None = None) -> int:
    """Rows left `sending` by a crash go back to the queue. With `modems`, only the rows
    those modems had claimed: other daemons' sends in flight are not theirs to touch.
    Returns how many."""
    stmt = update(OutboxMessage).where(OutboxMessage.status == "sending")
    if modems is not None:
        # "" = claimed by a sender that named no modem (the daemon always names it)
        stmt = stmt.where(col(OutboxMessage.modem).in_([*modems, ""]))
    result = session.exec(stmt.values(status="queued"))
    session.commit()
    return result.rowcount or 0


def due_count(session: Session, now: datetime, *, broadcasts: bool = True) -> int:
    from sqlalchemy import func
    query = (select(func.count()).select_from(OutboxMessage)
             .where(OutboxMessage.status == "queued", _due(now)))
    if not broadcasts:
        query = query.where(OutboxMessage.kind != "broadcast")
    return session.exec(query).one()
