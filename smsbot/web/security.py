"""Who is asking, and may they: checked on the server for every request.

The session lives on the server (smsbot/web/sessions.py) and holds the phone number that
logged in. The role and the shops are read from the database on every request, so a seller
who is removed loses access at once. Every form that changes something carries a CSRF token
tied to the session.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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
        raise HTTPException(status_code=303, headers={"Location": "/masuk?next=" + _return_to(request)})
    return user


def _return_to(request: Request) -> str:
    """Where to come back after logging in: the page itself for a GET; for a form sent after
    the session ended, the page the form was on (its own address only answers POST)."""
    if request.method in ("GET", "HEAD"):
        return request.url.path
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        return referer.path
    return "/dasbor"


def require_admin(request: Request) -> User:
    user = require_user(request)
    if not user.is_admin:
        raise HTTPException(status_code=403, detail="Hanya untuk admin.")
    return user


class LazyToken:
    """The CSRF token, made only when a template prints it: a public page without a form
    makes no session (no row, no cookie)."""

    def __init__(self, request: Request):
        self.request = request

    def __str__(self) -> str:
        return csrf_token(self.request)

    def __html__(self) -> str:
        return str(self)


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
