"""Conversation state keyed by sender and expiring (aiogram's FSMContext, sized for us)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlmodel import Session, select

from .clock import to_db
from .models import ConversationState

DEFAULT_TTL = timedelta(hours=2)


def get(session: Session, phone: str, key: str, now: datetime) -> dict | None:
    row = _row(session, phone, key)
    if row is None or row.expires_at <= to_db(now):
        return None
    return json.loads(row.data)


def put(session: Session, phone: str, key: str, data: dict, now: datetime,
        ttl: timedelta = DEFAULT_TTL) -> None:
    row = _row(session, phone, key) or ConversationState(
        phone=phone, key=key, expires_at=to_db(now), updated_at=to_db(now))
    row.data = json.dumps(data, separators=(",", ":"))
    row.expires_at = to_db(now + ttl)
    row.updated_at = to_db(now)
    session.add(row)


def clear(session: Session, phone: str, key: str) -> None:
    row = _row(session, phone, key)
    if row is not None:
        session.delete(row)


def _row(session: Session, phone: str, key: str) -> ConversationState | None:
    return session.exec(
        select(ConversationState).where(ConversationState.phone == phone,
                                        ConversationState.key == key)
    ).first()
