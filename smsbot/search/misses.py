"""Searches that found nothing (CARI by SMS, the website's search): demand nobody serves yet,
for `smsbot report searches` and the admin's dashboard."""

from __future__ import annotations

from sqlmodel import Session, func, select

from smsbot.clock import to_db
from smsbot.search.models import SearchMiss
from smsbot.search.words import Query


def record(session, query: Query, text: str, phone: str, now) -> None:
    """Remember a search that found nothing, for `smsbot report searches`."""
    session.add(SearchMiss(query=query.text[:120], text=text[:160], phone=phone,
                           created_at=to_db(now)))


def unmet(session: Session, since, limit: int = 20) -> list[tuple[str, int, int, object]]:
    """(query, times, different buyers, last asked) of the CARI searches that found nothing
    since `since`, most asked first; also the dashboard's list."""
    return list(session.exec(
        select(SearchMiss.query, func.count(), func.count(func.distinct(SearchMiss.phone)),
               func.max(SearchMiss.created_at))
        .where(SearchMiss.created_at >= to_db(since))
        .group_by(SearchMiss.query)
        .order_by(func.count().desc(), func.count(func.distinct(SearchMiss.phone)).desc(),
                  SearchMiss.query)
        .limit(limit)).all())
