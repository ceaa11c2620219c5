"""Promo prices in force (a seller's PROMO, see handlers/promo.py)."""

from __future__ import annotations

from sqlmodel import select

from .clock import to_db
from .models import PromoPrice


def active_promo(session, product_id: int, now) -> PromoPrice | None:
    """The promo price in force for a product at `now` (the newest), for orders and CARI."""
    return session.exec(
        select(PromoPrice).where(PromoPrice.product_id == product_id,
                                 PromoPrice.starts_at <= to_db(now), PromoPrice.ends_at > to_db(now))
        .order_by(PromoPrice.id.desc())
    ).first()
