"""Promo prices in force (a seller's PROMO, see handlers/promo.py)."""

from __future__ import annotations

from sqlmodel import col, select

from smsbot.catalog.models import Product, PromoPrice
from smsbot.clock import from_db, to_db
from smsbot.store import txcache as tablecache


def active_promo(session, product_id: int, now) -> PromoPrice | None:
    """The promo price in force for a product at `now` (the newest), for orders and CARI."""
    return session.exec(
        select(PromoPrice).where(PromoPrice.product_id == product_id,
                                 PromoPrice.starts_at <= to_db(now), PromoPrice.ends_at > to_db(now))
        .order_by(PromoPrice.id.desc())
    ).first()


def active_prices(session, codes: list[str], now) -> dict[str, int]:
    """Promo prices in force now by product code (upper case), for the few codes given."""
    if not codes:
        return {}
    rows = session.exec(
        select(Product.code_key, PromoPrice.price_idr).join(Product, Product.id == PromoPrice.product_id)
        .where(col(Product.code_key).in_([c.upper() for c in codes]),
               PromoPrice.starts_at <= to_db(now), PromoPrice.ends_at > to_db(now))
        .order_by(PromoPrice.id)
    ).all()
    return {code: price for code, price in rows}  # the newest promo wins


def cached_active_prices(session, codes: list[str], now) -> dict[str, int]:
    """`active_prices` for CARI's pages, from the promo rows kept in memory until a promo
    is added (smsbot.store.txcache)."""
    if not codes:
        return {}
    wanted = {c.upper() for c in codes}
    moment = to_db(now)
    return {code: price for _product, code, price, starts, ends in _running(session, now)
            if code in wanted and starts <= moment < ends}  # the newest promo wins


def cached_promo_price(session, product_id: int, now) -> int | None:
    """The price of `active_promo` (the newest promo in force), from the same memory."""
    moment = to_db(now)
    found = None
    for product, _code, price, starts, ends in _running(session, now):
        if product == product_id and starts <= moment < ends:
            found = price
    return found


def _running(session, now) -> list[tuple]:
    """Promo rows (product id, code, price, start, end) in id order, without those that had
    ended when they were read: the memory serves a `now` at or after that moment."""
    loaded_at, rows = tablecache.cached(session, ("promoprice",),
                                        lambda s: _running_promos(s, now), key="running")
    if to_db(now) < loaded_at:
        loaded_at, rows = _running_promos(session, now)
    return rows


def _running_promos(session, now) -> tuple:
    moment = to_db(now)
    rows = session.exec(
        select(PromoPrice.product_id, Product.code_key, PromoPrice.price_idr,
               PromoPrice.starts_at, PromoPrice.ends_at)
        .join(Product, Product.id == PromoPrice.product_id)
        .where(PromoPrice.ends_at > moment).order_by(PromoPrice.id)
    ).all()
    return moment, [(product, code, price, from_db(starts), from_db(ends))
                    for product, code, price, starts, ends in rows]
