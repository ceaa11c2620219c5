"""The contacts' tables: one row per phone number, and the security log.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    """Anyone who texts us or whom we text: buyers, sellers, the admin."""

    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True, unique=True)  # E.164
    name: str = ""
    role: str = "buyer"  # buyer | seller | admin
    language: str = "id"
    promo_opt_in: bool = False
    pin_hash: str = ""
    kelurahan: str = ""
    created_at: datetime


class SecurityEvent(SQLModel, table=True):
    """Something the admin should be able to look back on: a failed or locked PIN, a
    privileged command from the wrong phone, a sender over the limits, a reply loop cut."""

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    phone: str = Field(default="", index=True)  # E.164, or the raw sender ID
    kind: str = Field(index=True)  # pin_failed | pin_locked | not_allowed | rate_limited | loop_guard
    detail: str = ""
