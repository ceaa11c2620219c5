"""Complaint tickets, their messages, and reviews.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Optional

from sqlmodel import Field, SQLModel


class Complaint(SQLModel, table=True):
    """A ticket (`K7QX`): one buyer's complaint, relayed between the buyer, the shop (when
    known) and the admin until someone closes it.

        OPEN -SELESAI (buyer, shop or admin)-> CLOSED
    (escalation to the admin after 24 h is `escalated_at`, not a status)
    """

    OPEN: ClassVar[str] = "open"
    CLOSED: ClassVar[str] = "closed"
    STATUSES: ClassVar[tuple[str, ...]] = (OPEN, CLOSED)

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)  # "K" + 3 characters
    buyer_phone: str = Field(index=True)  # E.164
    shop_id: Optional[int] = Field(default=None, foreign_key="shop.id", index=True)
    order_id: Optional[int] = Field(default=None, foreign_key="order.id")
    category: str = "service"  # a key of grammar/complaint_categories.toml
    text: str
    status: str = Field(default=OPEN, index=True)  # one of STATUSES
    created_at: datetime
    first_answer_at: Optional[datetime] = None  # first BALAS from the shop or the admin
    shop_answered_at: Optional[datetime] = None  # first BALAS from the shop
    escalated_at: Optional[datetime] = Field(default=None, index=True)
    closed_at: Optional[datetime] = None
    closed_by: str = ""  # buyer | shop | admin


class ComplaintMessage(SQLModel, table=True):
    """The thread of a ticket: the complaint itself and every BALAS."""

    id: Optional[int] = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    sender_phone: str
    role: str  # buyer | shop | admin
    text: str
    created_at: datetime


class Review(SQLModel, table=True):
    """NILAI: one rating (1-5) per finished sub-order, i.e. per shop of an order."""

    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    suborder_id: int = Field(foreign_key="suborder.id", unique=True)
    shop_id: int = Field(foreign_key="shop.id", index=True)
    buyer_phone: str
    stars: int
    comment: str = ""
    created_at: datetime
