"""What every dashboard page shares: who may see it, flash messages, running an SMS command.

Authorization is checked on the server for every request (smsbot/web/security.py reads the
role and the shops from the database each time). A seller's actions run as SMS commands from
the seller's own phone (`act`), so the core's rules apply to the web exactly as to SMS.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from smsbot.contacts.phones import local_form
from smsbot.sms import grammar as grammar_module
from smsbot.web.actions import run_command
from smsbot.web.login import safe_next
from smsbot.web.render import TEMPLATES, page
from smsbot.web.security import User, require_user

MAX_TEXT = 600  # characters of a typed answer (BALAS relays at most two SMS anyway)


def status_label(status: str, level: str = "sub") -> str:
    """An order (`level="order"`) or sub-order status in the words STATUS uses by SMS."""
    key = f"status.{level}_{status}"
    grammar = grammar_module.load()
    return grammar.render(key) if key in grammar.replies["id"] else status


TEMPLATES.env.filters["local_phone"] = local_form
TEMPLATES.env.globals["status_label"] = status_label


def db(request: Request) -> Session:
    return Session(request.app.state.engine)


def now(request: Request):
    return request.app.state.config.clock()


def require_seller(request: Request) -> User:
    """A user with at least one active shop (a seller, or an admin who also sells)."""
    user = require_user(request)
    if not user.shop_ids:
        raise HTTPException(status_code=403, detail="Hanya untuk penjual.")
    return user


def not_found() -> HTTPException:
    """Someone else's order, ticket or product: 404, so that its existence is not confirmed."""
    return HTTPException(status_code=404)


def flash(request: Request, text: str, error: bool = False) -> None:
    request.session.setdefault("flash", []).append({"text": text, "error": error})
    request.session["flash"] = request.session["flash"][-5:]


def dash_page(request: Request, name: str, user: User, status_code: int = 200, **context):
    """Render a dashboard page with the user and the flash messages waiting for them."""
    messages = request.session.pop("flash", [])
    return page(request, name, status_code=status_code, user=user, flashes=messages, **context)


def act(request: Request, user: User, text: str) -> list[str]:
    """Run `text` as an SMS from the user's phone; its replies become flash messages (the
    text the user would have got by SMS), messages to others go to the outbox."""
    replies = run_command(request.app.state.engine, user.phone, text, now(request))
    for reply in replies:
        flash(request, reply)
    return replies


def back(form, default: str = "/dasbor") -> RedirectResponse:
    """After a POST: back to the page the form came from (a local path only)."""
    target = safe_next(str(form.get("back", ""))) if form.get("back") else default
    return RedirectResponse(target, status_code=303)


def typed(form, name: str, limit: int = MAX_TEXT) -> str:
    """A typed field as one SMS line: control characters dropped (a NUL breaks PostgreSQL),
    whitespace collapsed, cut to `limit`."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(form.get(name, "")))
    return " ".join(text.split())[:limit]
