"""Ingest: make an incoming SMS durable, then answer it.

1. `record` commits the SMS with its dedupe key. Only after that commit may the transport
   delete it from the modem; if the delete fails and the SMS is read again, the key makes
   the second `record` a no-op.
2. `process` answers one stored SMS in one transaction: the core's changes, the outbox
   rows and the `processed` mark commit together. A crash before that commit leaves the
   SMS `pending`, and it is answered after restart; after it, never again.

Per-sender limits and the loop guard (smsbot.limits) are applied here, around the pure
core: a limited SMS is stored and marked, never lost, and never reaches a handler.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from . import contacts, core, limits as limits_module, outbox, security
from .clock import to_db
from .context import Reply
from .grammar import Grammar
from .limits import Limits
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
    """A broken UCS-2 SMS can decode to lone surrogates, which no database accepts; they
    become U+FFFD instead of a poison message that blocks the inbox."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def pending_ids(engine: Engine, limit: int = 500) -> list[int]:
    with Session(engine) as session:
        return list(session.exec(
            select(InboundMessage.id).where(InboundMessage.status == "pending")
            .order_by(InboundMessage.id).limit(limit)
        ).all())


def process(engine: Engine, inbound_id: int, now: datetime, grammar: Grammar,
            limits: Limits | None = None) -> int:
    """Answer one stored SMS; returns how many replies it queued."""
    limits = limits or Limits.from_env()
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(InboundMessage, inbound_id)
        if row is None or row.status != "pending":
            return 0
        try:
            replies, note = _answer(session, row, now, grammar, limits)
        except Exception as exc:  # a bug must not lose the SMS or silence the sender
            log.exception("handler failed on inbound %s", inbound_id)
            session.rollback()
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


def _answer(session: Session, row: InboundMessage, now: datetime, grammar: Grammar,
            limits: Limits) -> tuple[list[Reply], str]:
    """The replies for one SMS and the note to keep with it, after the limits."""
    phone = row.sender_e164
    if phone:
        existing = contacts.find(session, phone)
        role = existing.role if existing else "buyer"
        verdict = limits_module.verdict(session, phone, role, now, limits)
        if verdict != "answer":
            security.record(session, phone, "rate_limited", f"inbound {row.id}: {verdict}", now)
            if verdict == "silent":
                return [], "limited: not answered"
            return [Reply(phone, grammar.render("limits.too_many"))], "limited: notice sent"
    replies = core.handle_message(row.sender, row.text, now, session, grammar)
    mine = [page for r in replies if r.to == phone for page in outbox.pages_of(r.text)]
    earlier = limits_module.repeat_of(session, row, mine, now, limits) if mine else None
    if earlier is not None:
        session.rollback()  # the repeat changes nothing either
        security.record(session, phone, "loop_guard", f"inbound {row.id} repeats {earlier}", now)
        return [], f"loop guard: same text and answer as inbound {earlier}"
    return replies, ""


def process_pending(engine: Engine, now: datetime, grammar: Grammar,
                    limits: Limits | None = None, stop=None) -> int:
    """Answer stored SMS, oldest first; `stop()` true (SIGTERM) ends it between two SMS."""
    limits = limits or Limits.from_env()
    handled = 0
    for inbound_id in pending_ids(engine):
        if stop is not None and stop():
            break
        process(engine, inbound_id, now, grammar, limits)
        handled += 1
    return handled
