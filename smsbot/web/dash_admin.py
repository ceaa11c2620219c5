"""The admin's pages: orders, shops, the report with its charts (broadcasts: dash_broadcasts.py).

Everything here is admin-only (403 for sellers). The report is `smsbot report`'s own HTML
(smsbot/crm/report_html.py, in the admin's language) and CSV, not a second implementation.
"""

from __future__ import annotations

from sqlmodel import col, func, select
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from smsbot.broadcasts.models import Broadcast
from smsbot.catalog.models import Shop
from smsbot.contacts.models import Contact
from smsbot.crm import report as crm_report, report_html
from smsbot.crm.models import Complaint
from smsbot.crm.reviews import rating_counts
from smsbot.crm.umkm_class import DEFAULT_LAW, LAWS, classify
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, SubOrder
from smsbot.web.dash_base import dash_page, db, now
from smsbot.web.security import require_admin

CLASS_LABELS = {"micro": "mikro", "small": "kecil", "medium": "menengah", "large": "besar",
                "unknown": "-"}


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
                         statuses=orders.STATUS_FILTERS, order_statuses=Order.STATUSES)


# -- shops, report -----------------------------------------------------------------------------
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


def _language(session, user) -> str:
    """The admin's language (DAFTAR / BAHASA): the report is Indonesian unless it is English."""
    lang = session.exec(select(Contact.language).where(Contact.phone == user.phone)).first()
    return "en" if lang == "en" else "id"


async def report_page(request: Request):
    """The report inside the dashboard page (no frame: it follows the page's width)."""
    user = require_admin(request)
    with db(request) as session:
        body = report_html.body(crm_report.build(session), now(request), _language(session, user))
    return dash_page(request, "dash/admin_report.html", user, report=body)


async def report_html_view(request: Request):
    """`smsbot report --html`'s page on its own, in the admin's language. Its inline style
    is the only one the site has: this response's CSP allows it, and nothing else."""
    user = require_admin(request)
    with db(request) as session:
        html = report_html.render(crm_report.build(session), now(request),
                                  _language(session, user))
    return HTMLResponse(html, headers={"Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'")})


async def report_csv(request: Request):
    require_admin(request)
    with db(request) as session:
        data = crm_report.build(session)
    return Response(crm_report.to_csv(data), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="laporan-umkm.csv"'})


routes = [
    Route("/dasbor/admin/pesanan", order_list, name="admin_orders"),
    Route("/dasbor/admin/toko", shop_list, name="admin_shops"),
    Route("/dasbor/admin/laporan", report_page, name="admin_report"),
    Route("/dasbor/admin/laporan.html", report_html_view, name="admin_report_html"),
    Route("/dasbor/admin/laporan.csv", report_csv, name="admin_report_csv"),
]
