"""Promo prices in force (a seller's PROMO, see handlers/promo.py)."""

from __future__ import annotations

from sqlmodel import col, select

from .clock import to_db
from .models import Product, PromoPrice


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
