"""Ingest: make an incoming SMS durable, then answer it.

1. `record` commits the SMS with its dedupe key. Only after that commit may the transport
   delete it from the modem; if the delete fails and the SMS is read again, the key makes
   the second `record` a no-op.
2. `process` answers one stored SMS in one transaction: the core's changes, the outbox
   rows and the `processed` mark commit together. A crash before that commit leaves the
   SMS `pending`, and it is answered after restart; after it, never again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from . import core, outbox
from .clock import to_db
from .grammar import Grammar
from .models import InboundMessage
from .phones import normalize, sender_kind
from .transport.base import IncomingSMS

log = logging.getLogger(__name__)


def record(engine: Engine, sms: IncomingSMS, now: datetime, modem: str = "") -> InboundMessage | None:
    """Store one SMS (committed). Returns None when it was stored before."""
    key = sms.dedupe_key()
    with Session(engine, expire_on_commit=False) as session:
        if session.exec(select(InboundMessage.id).where(InboundMessage.dedupe_key == key)).first():
            return None
        kind = sender_kind(sms.sender)
        row = InboundMessage(
            dedupe_key=key, sender=storable(sms.sender), sender_e164=normalize(sms.sender),
            text=storable(sms.text), parts=sms.parts, modem=modem,
            sent_at=to_db(sms.sent_at) if sms.sent_at else None, received_at=to_db(now),
            status="pending" if kind == "person" else "ignored",
            note="" if kind == "person" else f"not answered: {kind} sender",
        )
        if kind != "person":
            log.warning("SMS from %s sender %r kept for the admin, not answered", kind, sms.sender)
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # another daemon stored it a moment ago
            return None
        return row


def storable(text: str) -> str:
    """What every database can hold: PostgreSQL refuses NUL characters and no UTF-8 column
    takes lone surrogates, both of which binary junk in an SMS can carry."""
    text = text.replace("\x00", "\ufffd")
    return text.encode("utf-8", "replace").decode("utf-8")


def pending_ids(engine: Engine, limit: int = 500) -> list[int]:
    with Session(engine) as session:
        return list(session.exec(
            select(InboundMessage.id).where(InboundMessage.status == "pending")
            .order_by(InboundMessage.id).limit(limit)
        ).all())


def process(engine: Engine, inbound_id: int, now: datetime, grammar: Grammar) -> int:
    """Answer one stored SMS; returns how many outbox rows it queued.

    The SMS is claimed with a conditional UPDATE (pending -> processing) in the same
    transaction that queues its replies and marks it processed. Two daemons on one database
    (or two threads) therefore never both answer it: on PostgreSQL the second UPDATE waits
    for the first transaction and then matches nothing; on SQLite it waits for the write lock.
    """
    with Session(engine, expire_on_commit=False) as session:
        if not _claim(session, inbound_id):
            return 0
        row = session.get(InboundMessage, inbound_id)
        try:
            replies = core.handle_message(row.sender, row.text, now, session, grammar)
            note = ""
        except Exception as exc:  # a bug must not lose the SMS or silence the sender
            log.exception("handler failed on inbound %s", inbound_id)
            session.rollback()
            if not _claim(session, inbound_id):
                return 0
            row = session.get(InboundMessage, inbound_id)
            replies = core.error_reply(row.sender, grammar)
            note = f"error: {type(exc).__name__}: {exc}"[:500]
        for reply in replies:
            outbox.enqueue(session, reply, now, inbound_id=row.id, modem=row.modem)
        row.status = "processed"
        row.processed_at = to_db(now)
        row.note = note
        session.add(row)
        session.commit()
        return len(replies)


def _claim(session: Session, inbound_id: int) -> bool:
    claimed = session.exec(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.status == "pending")
        .values(status="processing")
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def process_pending(engine: Engine, now: datetime, grammar: Grammar) -> int:
    handled = 0
    for inbound_id in pending_ids(engine):
        process(engine, inbound_id, now, grammar)
        handled += 1
    return handled
