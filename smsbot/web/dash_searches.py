"""The admin's list of searches that found nothing: demand nobody serves yet.

Searches by SMS and on the website are counted apart (the website's are stored with
`SearchMiss.phone == public.MISS_PHONE`): anyone can type anything into the public search
box, so by default the list shows what buyers asked by SMS only.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import func, select
from starlette.requests import Request
from starlette.routing import Route

from smsbot.clock import to_db
from smsbot.search.models import SearchMiss
from smsbot.web.dash_base import dash_page, db, now
from smsbot.web.public import MISS_PHONE
from smsbot.web.security import require_admin

SOURCES = {"sms": "lewat SMS", "web": "di website"}


def unmet(session, since, source: str, limit: int = 100) -> list[tuple[str, int, int, object]]:
    """(query, times, different askers, last asked) of the misses since `since` from one
    source, most asked first."""
    by_web = SearchMiss.phone == MISS_PHONE
    return list(session.exec(
        select(SearchMiss.query, func.count(), func.count(func.distinct(SearchMiss.phone)),
               func.max(SearchMiss.created_at))
        .where(SearchMiss.created_at >= to_db(since), by_web if source == "web" else ~by_web)
        .group_by(SearchMiss.query)
        .order_by(func.count().desc(), SearchMiss.query)
        .limit(limit)).all())


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
        rows = unmet(session, now(request) - timedelta(days=days), source)
    return dash_page(request, "dash/admin_searches.html", user, rows=rows, days=days,
                     source=source, sources=SOURCES)


routes = [Route("/dasbor/admin/pencarian", searches, name="admin_searches")]
