"""The security log: events the admin should see (failed PINs, wrong phones, floods, loops).

Written in the caller's transaction, so an event is kept exactly when the SMS that caused
it is; also sent to the `smsbot.contacts.security_log` logger.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, col, select

from smsbot.clock import to_db
from smsbot.contacts.models import SecurityEvent

log = logging.getLogger(__name__)


def record(session: Session, phone: str, kind: str, detail: str, now: datetime) -> None:
    log.warning("%s from %s: %s", kind, phone, detail)
    session.add(SecurityEvent(at=to_db(now), phone=phone or "", kind=kind, detail=detail[:500]))


def recent(session: Session, limit: int = 50, kind: str | None = None) -> list[SecurityEvent]:
    query = select(SecurityEvent).order_by(col(SecurityEvent.id).desc()).limit(limit)
    if kind:
        query = query.where(SecurityEvent.kind == kind)
    return list(session.exec(query).all())
