"""The catalog version (how every process's index knows the catalog changed) and the searches that found nothing.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel


class CatalogVersion(SQLModel, table=True):
    """One row (id 1) whose `version` goes up whenever a product or shop changes, so every
    process's in-memory search index notices with one cheap query (smsbot.search.version)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = 0
    updated_at: Optional[datetime] = None


class SearchMiss(SQLModel, table=True):
    """A CARI that found nothing: demand nobody serves yet (`smsbot report searches`)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    query: str = Field(index=True)  # folded words, e.g. "rendang kapau"
    text: str = ""  # as typed
    phone: str = Field(default="", index=True)
    created_at: datetime = Field(index=True)
