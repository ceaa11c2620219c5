"""The dashboard: the admin sees everything, a seller only their own shop.

/dasbor shows the admin's or the seller's overview; the pages live in dash_admin.py (orders,
shops, report), dash_broadcasts.py, dash_searches.py (unmet searches), dash_sessions.py (who
is logged in), dash_seller.py (sub-orders, stock and prices, reviews) and dash_complaints.py
(tickets, for both). Shared plumbing: dash_base.py.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from smsbot.web import (
    dash_admin,
    dash_broadcasts,
    dash_complaints,
    dash_searches,
    dash_seller,
    dash_sessions,
)
from smsbot.web.security import require_user


async def home(request: Request):
    user = require_user(request)
    if user.is_admin:
        return await dash_admin.overview(request, user)
    return await dash_seller.overview(request, user)


routes = [Route("/dasbor", home, name="dashboard"),
          *dash_complaints.routes, *dash_seller.routes, *dash_admin.routes,
          *dash_broadcasts.routes, *dash_searches.routes, *dash_sessions.routes]
