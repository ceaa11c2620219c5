"""Named locks held for one transaction (several daemons on one database).

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel


class Lock(SQLModel, table=True):
    """A named mutex row: a transaction that updates it first holds it until commit, on
    SQLite (write lock) and PostgreSQL (row lock) alike. Timers run under one each, so two
    daemons on one database never fire the same job twice."""

    name: str = Field(primary_key=True)
    held_at: Optional[datetime] = None
