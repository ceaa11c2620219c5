"""Jinja2 templates with the few helpers every page uses."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from smsbot.clock import local
from smsbot.web.security import LazyToken, current_user

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def rupiah(amount: int | None) -> str:
    """25000 -> "Rp25.000" (Indonesian thousands separator)."""
    if amount is None:
        return "-"
    return "Rp" + f"{int(amount):,}".replace(",", ".")


def local_time(moment, fmt: str = "%d-%m-%Y %H:%M") -> str:
    return local(moment).strftime(fmt) if moment else "-"


TEMPLATES.env.filters["rupiah"] = rupiah
TEMPLATES.env.filters["local_time"] = local_time


def page(request: Request, name: str, status_code: int = 200, **context):
    """Render `name` with the request, the logged-in user (or None), the web config and a
    CSRF token for forms."""
    if "user" not in context:  # dashboard pages pass the user they already loaded
        context["user"] = current_user(request)
    context["config"] = request.app.state.config
    context["csrf"] = LazyToken(request)
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)
