"""Catalog look-ups shared by the commands (PESAN, LAGI, PROMO ...); CARI searches the
in-memory index in smsbot/search/."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import Session, select

from smsbot.catalog.models import Product, Shop
from smsbot.store import txcache as tablecache

_BY_CODE = (select(Product, Shop).join(Shop, Shop.id == Product.shop_id)
            .where(Product.code_key == bindparam("code"), Product.active == True))  # noqa: E712


def product_by_code(session: Session, code: str) -> tuple[Product, Shop] | None:
    """One prebuilt query. Pending rows of other tables (the batch's new contacts and
    states) are not flushed for it: only a pending product or shop could change its answer."""
    with tablecache.reading(session, ("product", "shop")):
        row = session.exec(_BY_CODE, params={"code": code.upper()}).first()
    return (row[0], row[1]) if row else None

