"""The admin's list of logged-in sessions, each revocable (a lost phone, a shared computer).

Revoking deletes the session on the server: the browser that held it is sent to the login
page at its next request. The admin's own current session is marked and can be ended too.
"""

from __future__ import annotations

from sqlmodel import select
from starlette.requests import Request
from starlette.routing import Route

from smsbot.contacts.models import Contact
from smsbot.web import sessions
from smsbot.web.dash_base import back, dash_page, db, flash, now
from smsbot.web.security import checked_form, require_admin


async def session_list(request: Request):
    user = require_admin(request)
    with db(request) as session:
        rows = sessions.active(session, now(request))
        names = dict(session.exec(select(Contact.phone, Contact.name).where(
            Contact.phone.in_([row.phone for row in rows]))).all()) if rows else {}
        return dash_page(request, "dash/admin_sessions.html", user, rows=rows, names=names,
                         mine=request.session.row_id)


async def session_revoke(request: Request):
    require_admin(request)
    form = await checked_form(request)
    number = request.path_params["number"]
    with db(request) as session:
        done = sessions.revoke(session, number)
        session.commit()
    if number == request.session.row_id:
        sessions.end(request)
        return back(form, "/masuk")
    flash(request, "Sesi diakhiri." if done else "Sesi itu sudah tidak ada.", error=not done)
    return back(form, "/dasbor/admin/sesi")


routes = [
    Route("/dasbor/admin/sesi", session_list, name="admin_sessions"),
    Route("/dasbor/admin/sesi/{number:id}/cabut", session_revoke, methods=["POST"]),
]
