"""Ingest: make an incoming SMS durable, then answer it.

1. `record` commits the SMS with its dedupe key. Only after that commit may the transport
   delete it from the modem; if the delete fails and the SMS is read again, the key makes
   the second `record` a no-op.
2. `process` answers one stored SMS in one transaction: the core's changes, the outbox
   rows and the `processed` mark commit together (`process_batch` does several SMS in one
   transaction, which keeps that rule for each of them). A crash before that commit leaves the
   SMS `pending`, and it is answered after restart; after it, never again.
3. Before the core answers, the per-sender limits and the loop guard (smsbot.messages.limits) may
   silence it; the SMS is still kept, with a note saying why.

Only a person's SMS is ever answered (smsbot.messages.answerable); anything else is stored
`ignored` with the reason, and a status report is recorded on its outbox row
(smsbot.messages.delivery) in the transaction that stores it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, insert, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from smsbot.clock import to_db
from smsbot.contacts import directory as contacts, security_log as security
from smsbot.messages import answerable, delivery, limits as limits_module, outbox
from smsbot.messages.limits import Limits
from smsbot.messages.models import InboundMessage
from smsbot.modem.transport.base import STATUS_REPORT, TEXT, IncomingSMS
from smsbot.sms import conversation as state, core
from smsbot.sms.context import Reply
from smsbot.sms.grammar import Grammar

log = logging.getLogger(__name__)


class Recorded(NamedTuple):
    """A stored SMS: its row id, dedupe key and first status (pending | ignored)."""

    id: int
    dedupe_key: str
    status: str


def record(engine: Engine, sms: IncomingSMS, now: datetime, modem: str = "") -> Recorded | None:
    """Store one SMS (committed). Returns None when it was stored before."""
    return record_many(engine, [sms], now, modem)[0]


def record_many(engine: Engine, messages: list[IncomingSMS], now: datetime,
                modem: str = "") -> list[Recorded | None]:
    """Store a batch of SMS in one transaction, committed before the caller deletes any of
    them from the modem. None for each SMS stored before (same dedupe key). The rows go in
    as one Core INSERT (no ORM objects: nothing reads them back in this transaction)."""
    keys = [sms.dedupe_key() for sms in messages]
    table = InboundMessage.__table__
    values: list[dict] = []
    slots: list[int | None] = []
    try:
        with engine.begin() as connection:
            known = set(connection.execute(
                select(table.c.dedupe_key).where(table.c.dedupe_key.in_(set(keys)))).scalars())
            for sms, key in zip(messages, keys):
                if key in known:
                    slots.append(None)
                    continue
                known.add(key)
                slots.append(len(values))
                values.append(_inbound_values(connection, sms, key, now, modem))
            ids: dict[str, int] = {}
            if values:  # one executemany, then the ids by key (RETURNING would mean a
                # statement per row on SQLite, to keep the ids in order)
                connection.execute(insert(table), values)
                ids = dict(connection.execute(
                    select(table.c.dedupe_key, table.c.id)
                    .where(table.c.dedupe_key.in_([v["dedupe_key"] for v in values]))).all())
    except IntegrityError:  # another daemon stored one of them a moment ago
        if len(messages) == 1:
            return [None]
        return [record(engine, sms, now, modem) for sms in messages]
    return [None if slot is None else Recorded(
                ids[values[slot]["dedupe_key"]], values[slot]["dedupe_key"], values[slot]["status"])
            for slot in slots]


def _inbound_values(connection: Connection, sms: IncomingSMS, key: str, now: datetime,
                    modem: str) -> dict:
    """The column values of an InboundMessage row for `sms` (every column but the id). A
    status report is written on its outbox row here, in the transaction that stores it."""
    reason = answerable.why_not(sms)
    if sms.kind == STATUS_REPORT and sms.report is not None:
        note = delivery.record(connection, sms.sender, sms.report, modem, now)
        log.info("%s", note)
    elif reason:
        note = f"not answered: {reason}"
        log.warning("SMS from %r kept for the admin, %s", sms.sender, note)
    else:
        note = ""
    return {
        "dedupe_key": key, "sender": storable(sms.sender),
        "sender_e164": answerable.network_number(sms.sender) if sms.kind == TEXT else None,
        "text": storable(sms.text), "parts": sms.parts, "modem": modem,
        "sent_at": to_db(sms.sent_at) if sms.sent_at else None, "received_at": to_db(now),
        "status": "ignored" if reason else "pending", "processed_at": None, "note": note,
    }


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


class _Single(Exception):
    """This SMS needs a transaction of its own (the loop guard rolls back its changes)."""


def process(engine: Engine, inbound_id: int, now: datetime, grammar: Grammar,
            limits: Limits | None = None) -> int:
    """Answer one stored SMS; returns how many replies it queued.

    The SMS is claimed with a conditional UPDATE (pending -> processing) in the same
    transaction that queues its replies and marks it processed. Two daemons on one database
    (or two threads) therefore never both answer it: on PostgreSQL the second UPDATE waits
    for the first transaction and then matches nothing; on SQLite it waits for the write lock.
    """
    limits = limits or Limits.from_env()
    with Session(engine, expire_on_commit=False) as session:
        if not _claim(session, [inbound_id]):
            return 0
        row = session.get(InboundMessage, inbound_id)
        try:
            replies, note = _answer(session, row, now, grammar, limits)
        except _Single as repeat:  # the loop guard: nothing of it may stay
            session.rollback()
            if not _claim(session, [inbound_id]):
                return 0
            row = session.get(InboundMessage, inbound_id)
            security.record(session, row.sender_e164, "loop_guard",
                            f"inbound {row.id} repeats {repeat.args[0]}", now)
            replies, note = [], f"loop guard: same text and answer as inbound {repeat.args[0]}"
        except Exception as exc:  # a bug must not lose the SMS or silence the sender
            log.exception("handler failed on inbound %s", inbound_id)
            session.rollback()
            if not _claim(session, [inbound_id]):
                return 0
            row = session.get(InboundMessage, inbound_id)
            replies = core.error_reply(row.sender, grammar,
                                       contacts.language_of(session, row.sender_e164 or ""))
            note = f"error: {type(exc).__name__}: {exc}"[:500]
        _finish(session, row, replies, now, note)
        session.commit()
        return len(replies)


def _claim(session: Session, inbound_ids: list[int]) -> list[int]:
    """pending -> processing for those of `inbound_ids` nobody else has claimed; returns
    them. Held until this transaction ends (never committed as `processing`)."""
    table = InboundMessage.__table__
    return list(session.execute(
        update(table).where(table.c.id.in_(inbound_ids), table.c.status == "pending")
        .values(status="processing").returning(table.c.id)
    ).scalars().all())


def _answer(session: Session, row: InboundMessage, now: datetime, grammar: Grammar,
            limits: Limits) -> tuple[list[Reply], str]:
    """The replies for one SMS and the note to keep with it, after the limits. Raises
    _Single when the loop guard says its changes must be rolled back."""
    phone = row.sender_e164
    if phone:
        existing = contacts.find(session, phone)
        role = existing.role if existing else "buyer"
        verdict = limits_module.verdict(session, phone, role, now, limits)
        if verdict != "answer":
            security.record(session, phone, "rate_limited", f"inbound {row.id}: {verdict}", now)
            if verdict == "silent":
                return [], "limited: not answered"
            lang = existing.language if existing else "id"
            return [Reply(phone, grammar.render("limits.too_many", lang))], "limited: notice sent"
    replies = core.handle_message(row.sender, row.text, now, session, grammar)
    if limits.loop_window:  # the loop guard compares the texts that would be queued
        mine = [page for r in replies if r.to == phone for page in outbox.pages_of(r.text)]
        earlier = limits_module.repeat_of(session, row, mine, now, limits) if mine else None
        if earlier is not None:
            raise _Single(earlier)
    return replies, ""


def _finish(session: Session, row: InboundMessage, replies, now: datetime, note: str = "") -> None:
    for reply in replies:
        outbox.enqueue(session, reply, now, inbound_id=row.id, modem=row.modem)
    row.status = "processed"
    row.processed_at = to_db(now)
    row.note = note
    session.add(row)


def process_pending(engine: Engine, now: datetime, grammar: Grammar,
                    limits: Limits | None = None, stop=None, batch: int = 50) -> int:
    """Answer stored SMS, oldest first, in batches; `stop()` true (SIGTERM) ends it between
    two batches. A batch never holds two SMS of one sender, so the limits, which count
    the sender's earlier answers in the database, see every one of them."""
    limits = limits or Limits.from_env()
    handled = 0
    for ids in _batches(engine, batch):
        if stop is not None and stop():
            break
        handled += process_batch(engine, ids, now, grammar, limits)
    return handled


def _batches(engine: Engine, size: int) -> list[list[int]]:
    with Session(engine) as session:
        pending = session.exec(
            select(InboundMessage.id, InboundMessage.sender_e164)
            .where(InboundMessage.status == "pending").order_by(InboundMessage.id).limit(500)
        ).all()
    batches: list[list[int]] = []
    current: list[int] = []
    senders: set = set()
    for inbound_id, sender in pending:
        if len(current) >= size or sender in senders:
            batches.append(current)
            current, senders = [], set()
        current.append(inbound_id)
        senders.add(sender)
    if current:
        batches.append(current)
    return batches


def process_batch(engine: Engine, inbound_ids: list[int], now: datetime, grammar: Grammar,
                  limits: Limits | None = None) -> int:
    """Answer several stored SMS in ONE transaction: every SMS's outbox rows and its
    `processed` mark still commit together (all of the batch or none of it), so each SMS is
    answered exactly once. One commit per batch instead of one per SMS is what makes a
    backlog of thousands cheap. If any handler fails (or the loop guard must undo one),
    the batch is rolled back and answered one SMS at a time by `process`, so the failure
    stays with its own SMS."""
    limits = limits or Limits.from_env()
    if len(inbound_ids) == 1:
        process(engine, inbound_ids[0], now, grammar, limits)
        return 1
    with Session(engine, expire_on_commit=False) as session:
        mine = _claim(session, inbound_ids)
        if not mine:
            session.rollback()
            return 0
        rows = session.exec(
            select(InboundMessage).where(col(InboundMessage.id).in_(mine))
            .order_by(InboundMessage.id)
        ).all()
        contacts.preload(session, [row.sender_e164 for row in rows])
        state.preload(session, [row.sender_e164 for row in rows])
        answered: list[tuple[InboundMessage, list, str]] = []
        try:
            for row in rows:
                if row.status == "processing":
                    replies, note = _answer(session, row, now, grammar, limits)
                    answered.append((row, replies, note))
            # Written after the handlers, in two statements for the whole batch; handlers
            # never read the outbox or the inbound table, and no sender is in a batch twice.
            outbox.enqueue_many(session, [(reply, row.id, row.modem)
                                          for row, replies, _note in answered for reply in replies], now)
            if answered:
                table = InboundMessage.__table__
                session.execute(
                    update(table).where(table.c.id == bindparam("row_id"))
                    .values(status="processed", processed_at=to_db(now), note=bindparam("row_note")),
                    [{"row_id": row.id, "row_note": note} for row, _replies, note in answered])
            session.commit()
            return len(inbound_ids)
        except Exception:  # noqa: BLE001 - retried one by one below, where it is logged
            session.rollback()
    for inbound_id in inbound_ids:
        process(engine, inbound_id, now, grammar, limits)
    return len(inbound_ids)
