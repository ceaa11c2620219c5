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


WEB_PHONE = "web"  # SearchMiss.phone of a search made on the website
SOURCES = ("sms", "web")


def unmet(session: Session, since, limit: int = 20,
          source: str | None = "sms") -> list[tuple[str, int, int, object]]:
    """(query, times, different askers, last asked) of the searches that found nothing since
    `since`, most asked first. Website searches are counted apart (`source="web"`; None:
    both): anyone can type anything into the public search box, so the admin's lists show
    what buyers asked by SMS unless told otherwise."""
    query = (select(SearchMiss.query, func.count(), func.count(func.distinct(SearchMiss.phone)),
                    func.max(SearchMiss.created_at))
             .where(SearchMiss.created_at >= to_db(since)))
    if source is not None:
        by_web = SearchMiss.phone == WEB_PHONE
        query = query.where(by_web if source == "web" else ~by_web)
    return list(session.exec(
        query.group_by(SearchMiss.query)
        .order_by(func.count().desc(), func.count(func.distinct(SearchMiss.phone)).desc(),
                  SearchMiss.query)
        .limit(limit)).all())


def as_lines(rows: list[tuple[str, int, int, object]]) -> list[str]:
    """The admin's text table of `unmet` rows (`smsbot report` and `report searches`)."""
    lines = [f"{'times':>5} {'buyers':>6}  {'last asked':16}  query"]
    lines += [f"{times:>5} {buyers:>6}  {last:%Y-%m-%d %H:%M}  {query}"
              for query, times, buyers, last in rows]
    return lines
