"""The outbox table: the only road to the modem.

Rows are written by the core (replies), by timers and by the scheduler; only the transport
loop claims and sends them. A row is marked `sending` (committed) before the modem is
touched and `sent` (committed) after, so a crash never loses a row. A row found `sending`
at start-up was interrupted inside the modem call; it is queued again (the only window in
which one SMS can go out twice is the modem call itself).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from .clock import to_db
from .context import Reply
from .gsm7 import measure, septets, to_gsm7
from .models import PRIORITY, OutboxMessage

MAX_SEGMENTS = 2  # per SMS: a third segment costs the sender (or us) a third SMS
MAX_PAGES = 3  # per reply: beyond that the text is cut, never sent at any cost
PAGE_SEPTETS = 153 * MAX_SEGMENTS
MAX_ATTEMPTS = 3
RETRY_BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))


def enqueue(session: Session, reply: Reply, now: datetime, *, inbound_id: int | None = None,
            modem: str = "") -> OutboxMessage:
    """Queue one reply; returns its (first) row. Every text passes the one gate here:
    GSM-7 only, at most MAX_SEGMENTS segments per SMS (counted by Gammu's own encoder); a
    longer text goes out as numbered pages `(1/2)`, at most MAX_PAGES, the rest cut."""
    rows = []
    for text in pages_of(reply.text):
        encoding = measure(text)
        row = OutboxMessage(
            to=reply.to, text=text, kind=reply.kind, priority=PRIORITY.get(reply.kind, 10),
            segments=encoding.segments, encoding=encoding.encoding, inbound_id=inbound_id,
            modem=modem, created_at=to_db(now),
            not_before=to_db(reply.not_before) if reply.not_before else None,
        )
        session.add(row)
        rows.append(row)
    return rows[0]


def pages_of(text: str) -> list[str]:
    """The SMS texts `enqueue` would queue for `text`."""
    return paginate(to_gsm7(text))


def paginate(text: str) -> list[str]:
    """Split a GSM-7 text into pages of at most MAX_SEGMENTS segments each, on word
    boundaries, numbered ` (1/3)`; more than MAX_PAGES pages: the last one ends in `...`."""
    if septets(text) <= PAGE_SEPTETS:
        return [text]
    room = PAGE_SEPTETS - len(" (9/9)") - 2  # 2: an escape never straddles two parts
    pages: list[str] = []
    rest = text.strip()
    if not rest:
        return [_cut(text, PAGE_SEPTETS)]
    while rest:
        if len(pages) == MAX_PAGES - 1 and septets(rest) > room:
            pages.append(_cut(rest, room - 3).rstrip() + "...")
            break
        page = _cut(rest, room)
        if septets(page) < septets(rest):  # break at the last space, if there is one
            space = page.rfind(" ")
            if space > room // 2:
                page = page[:space]
        pages.append(page.rstrip())
        rest = rest[len(page):].strip()
    total = len(pages)
    return [f"{page} ({n}/{total})" for n, page in enumerate(pages, 1)] if total > 1 else pages


def _cut(text: str, budget: int) -> str:
    """The longest prefix of `text` that fits `budget` septets."""
    used = 0
    for index, ch in enumerate(text):
        used += septets(ch)
        if used > budget:
            return text[:index]
    return text


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
                *, permanent: bool = False, charge: bool = True) -> None:
    """Retry with backoff up to MAX_ATTEMPTS; then (or at once, if permanent) `failed`.
    A failing number is pushed back, so it never blocks the rest of the queue. With
    `charge=False` (the modem link failed, not this SMS) the try is not counted."""
    row.error = error[:500]
    if not charge:
        row.attempts = max(0, row.attempts - 1)
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
    else:
        row.status = "queued"
        row.not_before = to_db(now + RETRY_BACKOFF[min(max(row.attempts, 1), len(RETRY_BACKOFF)) - 1])
    session.add(row)
    session.commit()


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
