"""The admin's pages: orders, broadcasts, shops, the report with its charts, unmet searches.

Everything here is admin-only (403 for sellers). Broadcasts are made, approved and cancelled
with the same functions as `smsbot broadcast` (smsbot/broadcasts.py), not through the SIARAN
SMS: SIARAN needs the admin's PIN in the text, and the web login (a code sent to the admin's
own phone) already proves what the PIN proves. The report is `smsbot report`'s own HTML
(smsbot/report_html.py) and CSV, not a second implementation.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, func, select
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from smsbot.broadcasts import runs as broadcasts
from smsbot.broadcasts.models import Broadcast
from smsbot.catalog.models import Shop
from smsbot.clock import parse_iso
from smsbot.crm import report as crm_report, report_html
from smsbot.crm.models import Complaint
from smsbot.crm.reviews import rating_counts
from smsbot.crm.umkm_class import DEFAULT_LAW, LAWS, classify
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, SubOrder
from smsbot.search.misses import unmet
from smsbot.web.dash_base import back, dash_page, db, flash, now, typed
from smsbot.web.security import checked_form, require_admin

CLASS_LABELS = {"micro": "mikro", "small": "kecil", "medium": "menengah", "large": "besar",
                "unknown": "-"}
BROADCAST_STATUSES = {"pending": "menunggu persetujuan", "scheduled": "terjadwal",
                      "done": "selesai", "cancelled": "dibatalkan"}


async def overview(request: Request, user):
    """The admin's /dasbor: what needs attention, with links."""
    with db(request) as session:
        def count(query):
            return session.exec(select(func.count()).select_from(query.subquery())).one()
        figures = {
            "open": count(select(Complaint.id).where(Complaint.status == "open")),
            "unanswered": count(select(Complaint.id).where(
                Complaint.status == "open", col(Complaint.first_answer_at).is_(None))),
            "pending": count(select(SubOrder.id).join(Order, Order.id == SubOrder.order_id)
                             .where(SubOrder.status == "pending", Order.status == "confirmed")),
            "broadcasts": count(select(Broadcast.id).where(
                col(Broadcast.status).in_(("pending", "scheduled")))),
            "awaiting": count(select(Broadcast.id).where(Broadcast.status == "pending")),
            "shops": count(select(Shop.id).where(Shop.active == True)),  # noqa: E712
        }
        return dash_page(request, "dash/admin.html", user, figures=figures)


async def order_list(request: Request):
    """Orders, newest first, filtered by an order status or a sub-order status (as
    `smsbot orders list --status`)."""
    user = require_admin(request)
    status = request.query_params.get("status", "")
    with db(request) as session:
        query = select(Order).order_by(col(Order.id).desc()).limit(200)
        if status in orders.STATUS_FILTERS:
            query = query.where(orders.with_status([status]))
        rows = [(order, orders.parts(session, order)) for order in session.exec(query).all()]
        return dash_page(request, "dash/admin_orders.html", user, rows=rows, status=status,
                         statuses=orders.STATUS_FILTERS)


# -- broadcasts ------------------------------------------------------------------------------
async def broadcast_list(request: Request):
    user = require_admin(request)
    with db(request) as session:
        items = session.exec(select(Broadcast).order_by(col(Broadcast.id).desc()).limit(100)).all()
        rows = []
        for item in items:
            counts = broadcasts.progress(session, item.id)
            total = sum(counts.values())
            done = total - counts.get("queued", 0) - counts.get("sending", 0)
            rows.append({"item": item, "counts": counts, "total": total, "done": done,
                         "sent": counts.get("sent", 0),
                         "status": BROADCAST_STATUSES.get(item.status, item.status),
                         "recipients": broadcasts.count_recipients(session, item.target)})
        return dash_page(request, "dash/admin_broadcasts.html", user, rows=rows,
                         form=request.session.pop("broadcast_form", {}))


async def broadcast_create(request: Request):
    """`smsbot broadcast add`: text, time (local, WIB; empty = now), repeat, audience."""
    user = require_admin(request)
    form = await checked_form(request)
    text = str(form.get("text", "")).strip()[:600]
    at, every, target = typed(form, "at", 30), typed(form, "every", 60), typed(form, "to", 80)
    moment = now(request)
    try:
        when = parse_iso(at) if at else moment
        with db(request) as session:
            item = broadcasts.create(session, text, when, moment, every=every,
                                     target=target or "all", created_by=user.phone)
            recipients = broadcasts.count_recipients(session, item.target)
            session.commit()
            flash(request, f"Siaran #{item.id} dijadwalkan utk {recipients} kontak.")
    except (ValueError, broadcasts.BroadcastError) as exc:
        flash(request, "Siaran tidak dibuat. Periksa isi, waktu (mis. 2026-12-01T09:00), "
                       f"penerima dan ulangan. ({exc})", error=True)
        request.session["broadcast_form"] = {"text": text, "at": at, "every": every,
                                             "to": target}
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


# -- shops, report, searches -------------------------------------------------------------------
async def shop_list(request: Request):
    user = require_admin(request)
    law = request.query_params.get("uu", DEFAULT_LAW)
    law = law if law in LAWS else DEFAULT_LAW
    with db(request) as session:
        ratings = rating_counts(session)
        open_counts = dict(session.exec(select(Complaint.shop_id, func.count())
                                        .where(Complaint.status == "open")
                                        .group_by(Complaint.shop_id)).all())
        order_counts = dict(session.exec(select(SubOrder.shop_id, func.count())
                                         .group_by(SubOrder.shop_id)).all())
        rows = []
        classes: dict[str, int] = {}
        for shop in session.exec(select(Shop).order_by(Shop.code_key)).all():
            size = classify(shop.assets_idr, shop.annual_sales_idr, law)
            classes[size] = classes.get(size, 0) + 1
            rows.append({"shop": shop, "size": CLASS_LABELS[size],
                         "rating": ratings.get(shop.id), "open": open_counts.get(shop.id, 0),
                         "orders": order_counts.get(shop.id, 0),
                         "kecamatan": crm_report.kecamatan_of(shop.kelurahan)})
        summary = ", ".join(f"{CLASS_LABELS[k]} {classes[k]}" for k in
                            ("micro", "small", "medium", "large", "unknown") if k in classes)
        return dash_page(request, "dash/admin_shops.html", user, rows=rows, law=law,
                         laws=sorted(LAWS), summary=summary)


async def report_page(request: Request):
    user = require_admin(request)
    return dash_page(request, "dash/admin_report.html", user)


async def report_html_view(request: Request):
    """`smsbot report --html`'s page as is (shown in a frame on the report page)."""
    require_admin(request)
    with db(request) as session:
        data = crm_report.build(session)
    return HTMLResponse(report_html.render(data, now(request)),
                        headers={"X-Frame-Options": "SAMEORIGIN"})


async def report_csv(request: Request):
    require_admin(request)
    with db(request) as session:
        data = crm_report.build(session)
    return Response(crm_report.to_csv(data), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="laporan-umkm.csv"'})


async def searches(request: Request):
    """`smsbot report searches`: what buyers looked for and nobody sells."""
    user = require_admin(request)
    try:
        days = max(1, min(int(request.query_params.get("hari", 30)), 365))
    except ValueError:
        days = 30
    with db(request) as session:
        rows = unmet(session, now(request) - timedelta(days=days), 100)
    return dash_page(request, "dash/admin_searches.html", user, rows=rows, days=days)


routes = [
    Route("/dasbor/admin/pesanan", order_list, name="admin_orders"),
    Route("/dasbor/admin/siaran", broadcast_list, methods=["GET"], name="admin_broadcasts"),
    Route("/dasbor/admin/siaran", broadcast_create, methods=["POST"]),
    Route("/dasbor/admin/siaran/{number:int}/batal", _broadcast_action("cancel"), methods=["POST"]),
    Route("/dasbor/admin/siaran/{number:int}/setujui", _broadcast_action("approve"),
          methods=["POST"]),
    Route("/dasbor/admin/toko", shop_list, name="admin_shops"),
    Route("/dasbor/admin/laporan", report_page, name="admin_report"),
    Route("/dasbor/admin/laporan.html", report_html_view, name="admin_report_html"),
    Route("/dasbor/admin/laporan.csv", report_csv, name="admin_report_csv"),
    Route("/dasbor/admin/pencarian", searches, name="admin_searches"),
]
