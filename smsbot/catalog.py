"""Catalog look-ups shared by the commands (PESAN, LAGI, PROMO ...); CARI searches the
in-memory index in smsbot/search/."""

from __future__ import annotations

from sqlmodel import Session, select

from .models import Product, Shop


def product_by_code(session: Session, code: str) -> tuple[Product, Shop] | None:
    row = session.exec(
        select(Product, Shop).join(Shop, Shop.id == Product.shop_id)
        .where(Product.code_key == code.upper(), Product.active == True)  # noqa: E712
    ).first()
    return (row[0], row[1]) if row else None

