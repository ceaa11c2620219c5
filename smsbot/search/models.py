"""The searches that found nothing.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel


class SearchMiss(SQLModel, table=True):
    """A CARI that found nothing: demand nobody serves yet (`smsbot report searches`)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    query: str = Field(index=True)  # folded words, e.g. "rendang kapau"
    text: str = ""  # as typed
    phone: str = Field(default="", index=True)
    created_at: datetime = Field(index=True)
