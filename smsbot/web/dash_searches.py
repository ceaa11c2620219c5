"""The admin's list of searches that found nothing: demand nobody serves yet.

Searches by SMS and on the website are counted apart (the website's are stored with
`smsbot.search.misses.WEB_PHONE`): anyone can type anything into the public search
box, so by default the list shows what buyers asked by SMS only.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.routing import Route

from smsbot.search.misses import unmet
from smsbot.web.dash_base import dash_page, db, now
from smsbot.web.security import require_admin

SOURCES = {"sms": "lewat SMS", "web": "di website"}


def _days(text: str) -> int:
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        return 30
    return max(1, min(int(text), 365))


async def searches(request: Request):
    user = require_admin(request)
    days = _days(request.query_params.get("hari", "30"))
    source = request.query_params.get("asal", "sms")
    source = source if source in SOURCES else "sms"
    with db(request) as session:
        rows = unmet(session, now(request) - timedelta(days=days), limit=100, source=source)
    return dash_page(request, "dash/admin_searches.html", user, rows=rows, days=days,
                     source=source, sources=SOURCES)


routes = [Route("/dasbor/admin/pencarian", searches, name="admin_searches")]
