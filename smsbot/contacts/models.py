"""The contacts' tables: one row per phone number, the security log, and how a contact
proves who they are on the website (one-time login codes, server-side sessions).

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
    role: str = Field(default="buyer", index=True)  # buyer | seller | admin: admins looked up by it
    language: str = "id"
    # how `language` was set: "" (the default), "number" (the country code of a new contact),
    # "text" (what they wrote), "chosen" (ENGLISH / BAHASA: never changed by detection)
    language_source: str = ""
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


class WebSession(SQLModel, table=True):
    """A browser's session, kept on the server: the cookie holds only a random token, and
    this row its SHA-256 (a copied database does not hand out live cookies). Logging out,
    the admin revoking it, or its timeouts delete the row, so a copied cookie opens nothing
    afterwards. `phone` is set once a user logged in; `data` is the rest (CSRF token, flash
    messages, the login in progress) as JSON."""

    id: Optional[int] = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True)
    phone: str = Field(default="", index=True)  # E.164, empty before login
    data: str = "{}"
    client: str = ""  # the address it logged in from, for the admin's list
    agent: str = ""  # the browser's User-Agent, cut short
    created_at: datetime = Field(index=True)
    seen_at: datetime = Field(index=True)
