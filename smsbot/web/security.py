"""Who is asking, and may they: checked on the server for every request.

The signed session cookie carries only the phone number that logged in. The role and the
shops are read from the database on every request, so a seller who is removed loses access
at once. Every form that changes something carries a CSRF token tied to the session.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select
from starlette.exceptions import HTTPException
from starlette.requests import Request

from smsbot.catalog.models import Shop
from smsbot.contacts.models import Contact


@dataclass
class User:
    phone: str  # E.164
    name: str
    role: str  # admin | seller
    shop_ids: list[int] = field(default_factory=list)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_see_shop(self, shop_id: int) -> bool:
        return self.is_admin or shop_id in self.shop_ids


def load_user(session: Session, phone: str | None) -> User | None:
    """The dashboard user for `phone`, or None if that number may not use the dashboard
    (buyers, unknown numbers, sellers without an active shop)."""
    if not phone:
        return None
    contact = session.exec(select(Contact).where(Contact.phone == phone)).first()
    if contact is None:
        return None
    shops = session.exec(select(Shop.id).where(Shop.phone == phone, Shop.active == True)).all()  # noqa: E712
    if contact.role == "admin":
        return User(phone, contact.name, "admin", list(shops))
    if shops:
        return User(phone, contact.name, "seller", list(shops))
    return None


def current_user(request: Request) -> User | None:
    with Session(request.app.state.engine) as session:
        return load_user(session, request.session.get("phone"))


def require_user(request: Request) -> User:
    """The logged-in user, or a redirect to the login page."""
    user = current_user(request)
    if user is None:
        raise HTTPException(status_code=303, headers={"Location": "/masuk?next=" + request.url.path})
    return user


def require_admin(request: Request) -> User:
    user = require_user(request)
    if not user.is_admin:
        raise HTTPException(status_code=403, detail="Hanya untuk admin.")
    return user


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request):
    """The POSTed form, after its CSRF token matched the session's (403 otherwise)."""
    form = await request.form()
    sent = str(form.get("csrf", ""))
    expected = request.session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail="Formulir kedaluwarsa. Muat ulang halaman.")
    return form


def session_secret(configured: str, secret_file: str) -> str:
    """The configured secret, else the one in `secret_file` (made, mode 0600, if missing)."""
    if configured:
        return configured
    path = Path(secret_file)
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value
