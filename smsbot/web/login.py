"""Login by phone number and a one-time code sent by SMS through the bot's own outbox.

GET/POST /masuk asks for the number; the page answers the same whether or not the number
may use the dashboard (only a number that may gets an SMS). GET/POST /masuk/kode takes the
code; on success the session gets a new token (no session fixation) and holds the phone. POST
/keluar deletes the session on the server. Code rules: smsbot/web/login_codes.py; sessions:
smsbot/web/sessions.py.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from smsbot.contacts.phones import local_form, normalize
from smsbot.web import login_codes, sessions
from smsbot.web.render import page
from smsbot.web.security import checked_form, current_user, load_user

HOME = "/dasbor"


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else the dashboard (no open redirect)."""
    target = (target or "").strip()
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(ch) < 32 for ch in target)):
        return HOME
    return target


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


async def login_form(request: Request):
    target = safe_next(request.query_params.get("next"))
    if current_user(request) is not None:
        return RedirectResponse(target, status_code=303)
    return page(request, "login.html", next=target, phone="", error="")


async def login_submit(request: Request):
    form = await checked_form(request)
    target = safe_next(str(form.get("next", "")))
    raw = str(form.get("phone", ""))[:40]
    phone = normalize(raw)
    if phone is None:
        return page(request, "login.html", status_code=400, next=target, phone=raw,
                    error="Nomor HP tidak valid. Contoh: 081234567890")
    config = request.app.state.config
    with Session(request.app.state.engine) as session:
        may = load_user(session, phone) is not None
        outcome = login_codes.request_code(session, phone, _client(request), config.clock(), may)
        session.commit()
    if outcome == "limited":
        return page(request, "login.html", status_code=429, next=target, phone=raw,
                    error="Terlalu sering minta kode. Coba lagi 15 menit lagi.")
    request.session["login_phone"] = phone
    request.session["login_next"] = target
    return RedirectResponse("/masuk/kode", status_code=303)


async def code_form(request: Request):
    phone = request.session.get("login_phone")
    if not phone:
        return RedirectResponse("/masuk", status_code=303)
    return page(request, "login_code.html", phone=local_form(phone), error="")


async def code_submit(request: Request):
    form = await checked_form(request)
    phone = request.session.get("login_phone")
    if not phone:
        return RedirectResponse("/masuk", status_code=303)
    code = str(form.get("code", "")).strip()[:12]
    config = request.app.state.config
    with Session(request.app.state.engine) as session:
        ok = code.isdigit() and login_codes.check_code(session, phone, code, config.clock())
        ok = ok and load_user(session, phone) is not None
        session.commit()
    if not ok:
        return page(request, "login_code.html", status_code=400, phone=local_form(phone),
                    error="Kode salah atau sudah tidak berlaku. Coba lagi, atau minta kode baru.")
    target = safe_next(request.session.get("login_next"))
    request.session.clear()
    request.session["phone"] = phone
    sessions.rotate(request)
    return RedirectResponse(target, status_code=303)


async def logout(request: Request):
    await checked_form(request)
    sessions.end(request)
    return RedirectResponse("/", status_code=303)


routes = [
    Route("/masuk", login_form, methods=["GET"], name="login"),
    Route("/masuk", login_submit, methods=["POST"]),
    Route("/masuk/kode", code_form, methods=["GET"], name="login_code"),
    Route("/masuk/kode", code_submit, methods=["POST"]),
    Route("/keluar", logout, methods=["POST"], name="logout"),
]
