"""Search results, as CARI and the website show them: the search itself and its ranking
(best match first, then in stock, then cheaper; the in-memory index, smsbot.search.index),
and what the index does not hold (ratings, promo prices in force) for the rows shown."""

from __future__ import annotations

from typing import NamedTuple

from smsbot.catalog.promos import cached_active_prices
from smsbot.crm.reviews import cached_shop_ratings
from smsbot.search import live as search_index
from smsbot.search.words import Query, parse_query

MAX_LIST = 30  # results kept: CARI's list for LAGI / PESAN n, the website's page


class Row(NamedTuple):
    code: str
    name: str
    price: int
    in_stock: bool
    shop: str
    shop_id: int = 0
    rating: float | None = None  # the shop's average NILAI, shown as *4.6


def find(session, text: str, limit: int = MAX_LIST, index=None) -> tuple[Query, list[Row], object]:
    """The search itself, best first: (parsed query, rows, index). CARI and the website's
    search both call this, so they find and rank alike. No index is loaded for a query
    without words (then rows is empty and index may be None)."""
    query = parse_query(text)
    if not query.words and not query.optional:
        return query, [], index
    index = index or search_index.load(session)
    positions, _unknown = index.search(query, limit=limit)
    return query, [_row(index, p) for p in positions], index


def _row(index, position: int) -> Row:
    hit = index.hit(position)
    return Row(hit.code, hit.name, hit.price, hit.stock > 0, index.shop_names[hit.shop],
               index.shop_ids[hit.shop])


def decorate(session, rows: list[Row], now) -> list[Row]:
    """What the index does not hold, for the few rows shown: the shops' ratings and promo
    prices in force now."""
    ratings = cached_shop_ratings(session, {row.shop_id for row in rows})
    promos = cached_active_prices(session, [row.code for row in rows], now)
    return [row._replace(rating=ratings.get(row.shop_id),
                         price=min(row.price, promos.get(row.code.upper(), row.price)))
            for row in rows]
