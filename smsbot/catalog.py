"""Catalog look-ups shared by the commands (CARI, PESAN, LOKASI)."""

from __future__ import annotations

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from .models import Product, Shop


def product_by_code(session: Session, code: str) -> tuple[Product, Shop] | None:
    row = session.exec(
        select(Product, Shop).join(Shop, Shop.id == Product.shop_id)
        .where(Product.code_key == code.upper(), Product.active == True)  # noqa: E712
    ).first()
    return (row[0], row[1]) if row else None


def simple_search(session: Session, words: list[str], limit: int = 50) -> list[tuple[Product, Shop]]:
    """Products whose name, category or shop name contains every word (any case), or whose
    code is one of the words. In stock first, then cheapest."""
    query = select(Product, Shop).join(Shop, Shop.id == Product.shop_id).where(
        Product.active == True, Shop.active == True)  # noqa: E712
    codes = [w.upper() for w in words]
    word_filters = [
        or_(col(Product.name).ilike(f"%{w}%"), col(Product.category).ilike(f"%{w}%"),
            col(Shop.name).ilike(f"%{w}%"))
        for w in words
    ]
    query = query.where(or_(col(Product.code_key).in_(codes), *([and_(*word_filters)] if word_filters else [])))
    query = query.order_by((Product.stock > 0).desc(), Product.price_idr, Product.code).limit(limit)
    return [(p, s) for p, s in session.exec(query).all()]

