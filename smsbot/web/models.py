"""One-time login codes for the dashboard.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel


class LoginCode(SQLModel, table=True):
    """A one-time dashboard login code sent by SMS, stored hashed. Every login request makes
    a row, also for numbers that may not log in (no code, nothing sent: `code_hash` empty),
    so the rate limits per phone and per client address count them all alike and do not
    reveal which numbers are registered."""

    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True)  # E.164
    client: str = Field(default="", index=True)  # the requester's IP address
    code_hash: str = ""  # "salt$sha256", empty when nothing was sent
    created_at: datetime = Field(index=True)
    expires_at: datetime
    used_at: Optional[datetime] = None
    wrong_tries: int = 0
