"""Complaint tickets on the dashboard: the admin sees every ticket, a seller their shops'.

The answer box sends exactly what `BALAS <ticket> <text>` sends, run as an SMS from the
user's own phone (no PIN is needed for BALAS or SELESAI), so the relay rules of
smsbot/complaints.py decide who gets what. Another shop's ticket is a 404.
"""

from __future__ import annotations

from sqlmodel import col, select
from starlette.requests import Request
from starlette.routing import Route

from smsbot.catalog.models import Shop
from smsbot.crm import tickets as complaints
from smsbot.crm.models import Complaint, ComplaintMessage
from smsbot.orders.models import Order
from smsbot.web.dash_base import act, back, dash_page, db, not_found, typed
from smsbot.web.security import User, checked_form, require_user


def visible(user: User, ticket: Complaint | None) -> bool:
    return ticket is not None and user.may_see_shop(ticket.shop_id)


async def complaint_list(request: Request):
    user = require_user(request)
    show_all = request.query_params.get("semua") == "1"
    with db(request) as session:
        query = (select(Complaint, Shop).join(Shop, Shop.id == Complaint.shop_id, isouter=True)
                 .order_by(col(Complaint.created_at).desc(), col(Complaint.id).desc()).limit(300))
        if not show_all:
            query = query.where(Complaint.status == "open")
        if not user.is_admin:
            query = query.where(col(Complaint.shop_id).in_(user.shop_ids or [-1]))
        rows = session.exec(query).all()
        return dash_page(request, "dash/complaints.html", user, rows=rows, show_all=show_all,
                         label=complaints.category_label)


def _ticket(request: Request, user: User, session) -> Complaint:
    code = request.path_params["code"]
    ticket = complaints.find_ticket(session, code) if code.isascii() and code.isalnum() else None
    if not visible(user, ticket):
        raise not_found()
    return ticket


async def complaint_page(request: Request):
    user = require_user(request)
    with db(request) as session:
        ticket = _ticket(request, user, session)
        shop = session.get(Shop, ticket.shop_id) if ticket.shop_id else None
        order = session.get(Order, ticket.order_id) if ticket.order_id else None
        thread = session.exec(select(ComplaintMessage)
                              .where(ComplaintMessage.complaint_id == ticket.id)
                              .order_by(ComplaintMessage.id)).all()
        names = {"buyer": "Pembeli", "shop": shop.name if shop else "Toko", "admin": "Admin"}
        return dash_page(request, "dash/complaint.html", user, ticket=ticket, shop=shop,
                         order=order, thread=thread, names=names,
                         category=complaints.category_label(ticket.category))


async def answer(request: Request):
    """BALAS <ticket> <text> from the user's phone."""
    user = require_user(request)
    form = await checked_form(request)
    with db(request) as session:
        code = _ticket(request, user, session).code
    text = typed(form, "text")
    if text:
        act(request, user, f"BALAS {code} {text}")
    return back(form, f"/dasbor/keluhan/{code}")


async def close(request: Request):
    """SELESAI <ticket> from the user's phone."""
    user = require_user(request)
    form = await checked_form(request)
    with db(request) as session:
        code = _ticket(request, user, session).code
    act(request, user, f"SELESAI {code}")
    return back(form, f"/dasbor/keluhan/{code}")


routes = [
    Route("/dasbor/keluhan", complaint_list, name="dash_complaints"),
    Route("/dasbor/keluhan/{code}", complaint_page, name="dash_complaint"),
    Route("/dasbor/keluhan/{code}/balas", answer, methods=["POST"]),
    Route("/dasbor/keluhan/{code}/selesai", close, methods=["POST"]),
]
