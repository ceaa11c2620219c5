"""Broadcasts and the interests (IKUTI) that target them.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Optional

from sqlmodel import Field, SQLModel


class Broadcast(SQLModel, table=True):
    """A scheduled message to many contacts. The database is the source of truth for what is
    due: `next_run_at` (None once finished, cancelled or awaiting approval). A run is expanded
    into outbox rows in one transaction that also moves `next_run_at` on.

        PENDING (a seller's PROMO) -SETUJU / approve-> SCHEDULED
        SCHEDULED -last run expanded-> DONE     (a cron broadcast stays SCHEDULED)
        PENDING, SCHEDULED -cancel-> CANCELLED
    """

    PENDING: ClassVar[str] = "pending"
    SCHEDULED: ClassVar[str] = "scheduled"
    DONE: ClassVar[str] = "done"
    CANCELLED: ClassVar[str] = "cancelled"
    STATUSES: ClassVar[tuple[str, ...]] = (PENDING, SCHEDULED, DONE, CANCELLED)

    id: Optional[int] = Field(default=None, primary_key=True)
    text: str
    target: str = "all"  # all | kelurahan:NAME | kecamatan:NAME | follows:WORD | shop:CODE
    status: str = Field(default=SCHEDULED, index=True)  # one of STATUSES
    first_at: datetime
    every: str = ""  # cron expression (5 fields, local time); empty: once
    next_run_at: Optional[datetime] = Field(default=None, index=True)
    runs: int = 0
    last_run_at: Optional[datetime] = None
    created_by: str = ""  # E.164 of the admin or seller, or "cli"
    shop_id: Optional[int] = Field(default=None, foreign_key="shop.id")
    created_at: datetime
    approved_at: Optional[datetime] = None
    cancelled_at: Optional[datetime] = None


class Follow(SQLModel, table=True):
    """An interest (IKUTI): a shop (value = shop code key) or a kind of food (a folded word)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True)  # E.164
    kind: str = Field(index=True)  # shop | word
    value: str = Field(index=True)
    created_at: datetime
