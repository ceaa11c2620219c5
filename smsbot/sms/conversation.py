"""Conversation state keyed by sender and expiring (aiogram's FSMContext, sized for us).

A session reads all of a phone's state rows at its first look-up (or `preload`s the
phones of a batch of SMS in one query) and answers later look-ups in the same transaction
from them; the rows it adds or deletes are kept in step. The memory ends with the
transaction (commit or rollback).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import inspect
from sqlmodel import Session, col, select

from smsbot.clock import to_db
from smsbot.sms.models import ConversationState
from smsbot.store import txcache as tablecache

DEFAULT_TTL = timedelta(hours=2)


def get(session: Session, phone: str, key: str, now: datetime) -> dict | None:
    row = _row(session, phone, key)
    if row is None or row.expires_at <= to_db(now):
        return None
    return json.loads(row.data)


def put(session: Session, phone: str, key: str, data: dict, now: datetime,
        ttl: timedelta = DEFAULT_TTL) -> None:
    row = _row(session, phone, key)
    if row is None:
        row = ConversationState(phone=phone, key=key, expires_at=to_db(now), updated_at=to_db(now))
        _rows(session, phone)[key] = row
    row.data = json.dumps(data, separators=(",", ":"))
    row.expires_at = to_db(now + ttl)
    row.updated_at = to_db(now)
    session.add(row)


def clear(session: Session, phone: str, key: str) -> None:
    row = _row(session, phone, key)
    if row is not None:
        if inspect(row).pending:
            session.expunge(row)  # put in this transaction and never written
        else:
            session.delete(row)
        _rows(session, phone).pop(key, None)


def preload(session: Session, phones) -> None:
    """Read the state rows of many phones in one query (a batch of SMS in one session)."""
    known = tablecache.memo(session, _KNOWN)
    wanted = sorted({p for p in phones if p and p not in known})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        _remember(known, chunk, session.exec(
            select(ConversationState).where(col(ConversationState.phone).in_(chunk))
            .order_by(ConversationState.id)).all())


def _row(session: Session, phone: str, key: str) -> ConversationState | None:
    return _rows(session, phone).get(key)


def _rows(session: Session, phone: str) -> dict[str, ConversationState]:
    known = tablecache.memo(session, _KNOWN)
    if phone not in known:
        _remember(known, [phone], session.exec(
            select(ConversationState).where(ConversationState.phone == phone)
            .order_by(ConversationState.id)).all())
    return known[phone]


def _remember(known: dict, phones: list[str], rows) -> None:
    for phone in phones:
        known[phone] = {}
    for row in rows:
        known[row.phone].setdefault(row.key, row)  # the oldest, if a key was stored twice


_KNOWN = "smsbot.sms.conversation"  # tablecache.memo: {phone: {key: row}} read in this transaction
