"""Reviews (testimoni): NILAI <order code> <1-5> [comment] after a finished order, and the
shops' average ratings shown in CARI (`*4.6`) and `smsbot shops show`."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlmodel import Session, col, func, select

from smsbot.clock import to_db
from smsbot.crm.models import Review
from smsbot.orders.models import Order, SubOrder
from smsbot.store import txcache as tablecache


def shop_rating(session: Session, shop_id: int) -> float | None:
    """The shop's average stars, one decimal, or None before its first review."""
    return shop_ratings(session, [shop_id]).get(shop_id)


def shop_ratings(session: Session, shop_ids: Iterable[int] | None = None) -> dict[int, float]:
    """Average stars (one decimal) by shop id, for the shops that have reviews; every shop
    when `shop_ids` is None. One query."""
    return {shop: round(avg, 1) for shop, (avg, _n) in rating_counts(session, shop_ids).items()}


def cached_shop_ratings(session: Session, shop_ids: Iterable[int]) -> dict[int, float]:
    """`shop_ratings` for CARI's pages: every shop's average kept in memory until a review
    is added (smsbot.store.txcache), instead of one query per page."""
    every = tablecache.cached(session, ("review",), shop_ratings)
    return {shop: every[shop] for shop in shop_ids if shop in every}


def rating_counts(session: Session, shop_ids: Iterable[int] | None = None
                  ) -> dict[int, tuple[float, int]]:
    query = select(Review.shop_id, func.avg(Review.stars), func.count()).group_by(Review.shop_id)
    if shop_ids is not None:
        ids = list(shop_ids)
        if not ids:
            return {}
        query = query.where(col(Review.shop_id).in_(ids))
    return {shop: (float(avg), int(n)) for shop, avg, n in session.exec(query).all()}


def rate_order(session: Session, order: Order, stars: int, comment: str,
               now: datetime) -> tuple[str, list[SubOrder]]:
    """Rate every finished, not yet rated sub-order of `order`. Returns (outcome, rated):
    outcome is "ok", "not_done" (no sub-order is done) or "already" (all done ones rated)."""
    done = session.exec(select(SubOrder).where(SubOrder.order_id == order.id,
                                               SubOrder.status == "done")
                        .order_by(SubOrder.id)).all()
    if not done:
        return "not_done", []
    rated = set(session.exec(select(Review.suborder_id).where(Review.order_id == order.id)).all())
    todo = [sub for sub in done if sub.id not in rated]
    if not todo:
        return "already", []
    for sub in todo:
        session.add(Review(order_id=order.id, suborder_id=sub.id, shop_id=sub.shop_id,
                           buyer_phone=order.buyer_phone, stars=stars, comment=comment,
                           created_at=to_db(now)))
    return "ok", todo
