"""Named locks held for one transaction (see smsbot.store.models.Lock)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from smsbot.clock import to_db
from smsbot.store.models import Lock


def hold(session: Session, name: str, now: datetime) -> None:
    """Block until no other transaction holds `name`, then hold it until this one ends."""
    if session.exec(select(Lock.name).where(Lock.name == name)).first() is None:
        _create(session.get_bind(), name)  # before we write: SQLite allows one writer
    session.exec(update(Lock).where(Lock.name == name).values(held_at=to_db(now)))


def _create(bind, name: str) -> None:
    with Session(bind) as other:
        other.add(Lock(name=name))
        try:
            other.commit()
        except IntegrityError:  # another daemon created it first
            other.rollback()
