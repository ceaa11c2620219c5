"""Conversation state, keyed by sender and expiring.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel


class ConversationState(SQLModel, table=True):
    """Per-sender memory between messages (last search list, an order awaiting YA).
    Keyed by phone; expires so a stale question is never answered by surprise."""

    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True)
    key: str = Field(index=True)
    data: str = "{}"  # JSON
    expires_at: datetime
    updated_at: datetime
