"""The outbox table: the only road to the modem.

Rows are written by the core (replies), by timers and by the scheduler; only the transport
loop claims and sends them. A row is marked `sending` (committed) before the modem is
touched and `sent` (committed) after, so a crash never loses a row. A row found `sending`
at start-up was interrupted inside the modem call; it is queued again (the only window in
which one SMS can go out twice is the modem call itself).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from .clock import to_db
from .context import Reply
from .gsm7 import measure, to_gsm7
from .models import PRIORITY, OutboxMessage

MAX_ATTEMPTS = 3
RETRY_BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))


def enqueue(session: Session, reply: Reply, now: datetime, *, inbound_id: int | None = None,
            modem: str = "") -> OutboxMessage:
    """Queue one SMS. Every text passes the GSM-7 gate here; segments are counted from
    Gammu's own encoder."""
    row = OutboxMessage(**_values(reply, now, inbound_id, modem))
    session.add(row)
    return row


def enqueue_many(session: Session, items: list[tuple[Reply, int | None, str]], now: datetime) -> int:
    """Queue many SMS, `(reply, inbound_id, modem)` each, in one INSERT (no ORM objects):
    for a batch of answers written at the end of its transaction. Same GSM-7 gate."""
    if not items:
        return 0
    rows = [_values(reply, now, inbound_id, modem) for reply, inbound_id, modem in items]
    session.execute(insert(OutboxMessage.__table__), rows)
    return len(rows)


def _values(reply: Reply, now: datetime, inbound_id: int | None, modem: str) -> dict:
    text = to_gsm7(reply.text)
    encoding = measure(text)
    return {
        "to": reply.to, "text": text, "kind": reply.kind, "priority": PRIORITY.get(reply.kind, 10),
        "status": "queued", "segments": encoding.segments, "encoding": encoding.encoding,
        "attempts": 0, "modem": modem, "modem_ref": "", "error": "", "inbound_id": inbound_id,
        "created_at": to_db(now),
        "not_before": to_db(reply.not_before) if reply.not_before else None,
        "sending_at": None, "sent_at": None,
    }


def _due(now: datetime):
    return or_(col(OutboxMessage.not_before).is_(None), OutboxMessage.not_before <= to_db(now))


def claim_next(session: Session, now: datetime) -> OutboxMessage | None:
    """Take the most urgent due row and mark it `sending` (committed before the modem call).
    Higher priority first, then oldest: a reply never waits behind a broadcast."""
    row = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.status == "queued", _due(now))
        .order_by(col(OutboxMessage.priority).desc(), OutboxMessage.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    row.status = "sending"
    row.attempts += 1
    row.sending_at = to_db(now)
    session.add(row)
    session.commit()
    return row


def due(session: Session, now: datetime, limit: int) -> list[OutboxMessage]:
    """The next `limit` due rows, most urgent first (one query for a whole send batch)."""
    return list(session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.status == "queued", _due(now))
        .order_by(col(OutboxMessage.priority).desc(), OutboxMessage.id)
        .limit(limit)
    ).all())


def claim(session: Session, row: OutboxMessage, now: datetime) -> None:
    """Mark `row` `sending`; the caller commits before the modem call."""
    _apply(session, row, status="sending", attempts=row.attempts + 1, sending_at=to_db(now))


def mark_sent(session: Session, row: OutboxMessage, reference: str, now: datetime,
              modem: str = "", *, commit: bool = True) -> None:
    _apply(session, row, status="sent", modem_ref=reference, sent_at=to_db(now),
           modem=modem or row.modem, error="")
    if commit:
        session.commit()


def mark_failed(session: Session, row: OutboxMessage, error: str, now: datetime,
                *, permanent: bool = False, commit: bool = True) -> None:
    """Retry with backoff up to MAX_ATTEMPTS; then (or at once, if permanent) `failed`.
    A failing number is pushed back, so it never blocks the rest of the queue."""
    if permanent or row.attempts >= MAX_ATTEMPTS:
        _apply(session, row, status="failed", error=error[:500])
    else:
        backoff = RETRY_BACKOFF[min(row.attempts, len(RETRY_BACKOFF)) - 1]
        _apply(session, row, status="queued", error=error[:500], not_before=to_db(now + backoff))
    if commit:
        session.commit()


def _apply(session: Session, row: OutboxMessage, **values) -> None:
    """One UPDATE by id, and the same values on the loaded row (without making it dirty).
    The send loop runs this twice per SMS; a statement built once per set of columns and
    run on the connection skips the ORM flush and statement building, most of the cost."""
    statement = _UPDATES.get(tuple(values))
    if statement is None:
        table = OutboxMessage.__table__
        statement = _UPDATES[tuple(values)] = (
            update(table).where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(f"v_{name}") for name in values}))
    session.connection().execute(statement, {"row_id": row.id,
                                             **{f"v_{k}": v for k, v in values.items()}})
    for name, value in values.items():
        set_committed_value(row, name, value)


_UPDATES: dict[tuple, object] = {}


def requeue_interrupted(session: Session) -> int:
    """Rows left `sending` by a crash go back to the queue. Returns how many."""
    result = session.exec(
        update(OutboxMessage).where(OutboxMessage.status == "sending").values(status="queued")
    )
    session.commit()
    return result.rowcount or 0


def due_count(session: Session, now: datetime) -> int:
    from sqlalchemy import func
    return session.exec(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.status == "queued", _due(now))
    ).one()
