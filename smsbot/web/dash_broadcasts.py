"""The admin's broadcasts: the list with each text in full, the plain form, approve, cancel.

Broadcasts are made, approved and cancelled with the same functions as `smsbot broadcast`
(smsbot/broadcasts/runs.py), not through the SIARAN SMS: SIARAN needs the admin's PIN in the
text, and the web login (a code sent to the admin's own phone) already proves what the PIN
proves. The form offers choices (smsbot/web/broadcast_form.py) instead of cron and target
syntax; a mistake is one Indonesian sentence above the form, which keeps what was typed.
"""

from __future__ import annotations

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from smsbot.broadcasts import runs as broadcasts
from smsbot.broadcasts.models import Broadcast
from smsbot.catalog.models import Shop
from smsbot.messages.delivery import delivered_share
from smsbot.search.places import places
from smsbot.web import broadcast_form
from smsbot.web.dash_base import back, dash_page, db, flash, now
from smsbot.web.security import checked_form, require_admin

STATUSES = {"pending": "menunggu persetujuan", "scheduled": "terjadwal",
            "done": "selesai", "cancelled": "dibatalkan"}
PROGRESS = {"queued": "antre", "sending": "dikirim", "sent": "terkirim", "failed": "gagal",
            "skipped": "dilewati", "cancelled": "batal", "unknown": "tak pasti"}
FIELDS = ("text", "date", "time", "repeat", "weekday", "audience", "kecamatan", "kelurahan",
          "word", "shop")


def choices(session) -> dict:
    kelurahan = sorted({p.name for p in places() if p.kind == "kelurahan"})
    kecamatan = sorted({p.kecamatan for p in places() if p.kecamatan})
    shops = [code for code in session.exec(select(Shop.code).where(Shop.active == True)  # noqa: E712
                                           .order_by(Shop.code_key)).all()]
    return {"kecamatan": kecamatan, "kelurahan": kelurahan, "shops": shops}


async def broadcast_list(request: Request):
    user = require_admin(request)
    with db(request) as session:
        items = session.exec(select(Broadcast).order_by(col(Broadcast.id).desc()).limit(100)).all()
        share = delivered_share(session, [item.id for item in items])
        rows = []
        for item in items:
            counts = broadcasts.progress(session, item.id)
            delivered, reported = share.get(item.id, (0, 0))
            total = sum(counts.values())
            done = total - counts.get("queued", 0) - counts.get("sending", 0)
            rows.append({"item": item, "counts": counts, "total": total, "done": done,
                         "sent": counts.get("sent", 0),
                         "delivered": f"{100 * delivered // reported}%" if reported else "",
                         "status": STATUSES.get(item.status, item.status),
                         "every": broadcast_form.describe_every(item.every),
                         "target": broadcast_form.describe_target(item.target),
                         "recipients": broadcasts.count_recipients(session, item.target)})
        return dash_page(request, "dash/admin_broadcasts.html", user, rows=rows,
                         form=request.session.pop("broadcast_form", {}), progress=PROGRESS,
                         weekdays=broadcast_form.WEEKDAYS, repeats=broadcast_form.REPEATS,
                         audiences=broadcast_form.AUDIENCES, **choices(session))


async def broadcast_create(request: Request):
    """`smsbot broadcast add` from the form's choices."""
    user = require_admin(request)
    form = await checked_form(request)
    moment = now(request)
    with db(request) as session:
        lists = choices(session)
        plan, problem = broadcast_form.read(form, moment, lists["kecamatan"], lists["kelurahan"],
                                            lists["shops"])
        if plan is not None:
            try:
                item = broadcasts.create(session, plan.text, plan.first_at, moment,
                                         every=plan.every, target=plan.target,
                                         created_by=user.phone)
            except broadcasts.BroadcastError:
                problem = "Siaran tidak bisa dijadwalkan. Periksa penerima dan waktunya."
            else:
                recipients = broadcasts.count_recipients(session, item.target)
                session.commit()
                flash(request, f"Siaran #{item.id} dijadwalkan utk {recipients} kontak.")
    if problem:
        flash(request, f"Siaran tidak dibuat. {problem}", error=True)
        request.session["broadcast_form"] = {name: broadcast_form.clean(form.get(name), 600)
                                             for name in FIELDS}
    return RedirectResponse("/dasbor/admin/siaran", status_code=303)


def _broadcast_action(name: str):
    async def handler(request: Request):
        require_admin(request)
        form = await checked_form(request)
        number = request.path_params["number"]
        with db(request) as session:
            item = session.get(Broadcast, number)
            if item is None:
                flash(request, f"Siaran #{number} tidak ada.", error=True)
            elif name == "cancel":
                dropped = broadcasts.cancel(session, item, now(request))
                flash(request, f"Siaran #{number} dibatalkan; {dropped} SMS antrean tidak dikirim.")
            elif broadcasts.approve(session, item, now(request)):
                flash(request, f"Siaran #{number} disetujui.")
            else:
                flash(request, f"Siaran #{number} tidak menunggu persetujuan.", error=True)
            session.commit()
        return back(form, "/dasbor/admin/siaran")
    handler.__name__ = f"broadcast_{name}"
    return handler


routes = [
    Route("/dasbor/admin/siaran", broadcast_list, methods=["GET"], name="admin_broadcasts"),
    Route("/dasbor/admin/siaran", broadcast_create, methods=["POST"]),
    Route("/dasbor/admin/siaran/{number:id}/batal", _broadcast_action("cancel"), methods=["POST"]),
    Route("/dasbor/admin/siaran/{number:id}/setujui", _broadcast_action("approve"),
          methods=["POST"]),
]
