"""Stock, price and visibility changes, and new products: the one way smsbot writes them.

`change_product` is one UPDATE (a condition may guard it: TERIMA takes stock only if enough
is left, so two acceptances of the last items never both succeed), reported to
smsbot.store.txcache like a flush, so the catalog version goes up in the same transaction
and every process's search index shows the new stock or price on its next search. A bulk
UPDATE written anywhere else would leave CARI listing a sold-out product as in stock.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from smsbot.catalog import version
from smsbot.catalog.models import Product, Shop
from smsbot.store import txcache

FIELDS = ("stock", "price_idr", "active")  # active=False hides a product (HAPUS), kept in the db


def change_product(session: Session, product: Product | int, *, only_if=None, **values) -> bool:
    """Set `values` (stock, price_idr, active: numbers or SQL expressions such as
    `Product.stock - 2`) on one product, if `only_if` (an SQL condition) holds. Returns
    whether the row changed. A loaded `product` shows plain numbers at once.

    The catalog version is bumped first and the row takes its number (`version`), so every
    process's search index applies this one row in place on its next search."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"change_product sets only {', '.join(FIELDS)}, not {', '.join(unknown)}")
    product_id = product if isinstance(product, int) else product.id
    statement = update(Product).where(Product.id == product_id)
    if only_if is not None:
        statement = statement.where(only_if)
    txcache.wrote(session, (Product.__tablename__,))  # the bump, before the row takes its number
    result = session.exec(statement.values(version=version.current_number(), **values)
                          .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    if not isinstance(product, int):
        for name, value in values.items():
            if isinstance(value, (int, bool)):
                set_committed_value(product, name, value)
    return True


def add_product(session: Session, shop: Shop, code: str, name: str, price_idr: int,
                stock: int = 0, category: str = "") -> Product:
    """A new product of `shop` (TAMBAH), flushed at once: the flush is what reports the write
    to txcache, so the catalog version goes up and CARI lists it on its next search."""
    product = Product(code=code, code_key=code.upper(), shop_id=shop.id, name=name,
                      category=category, price_idr=price_idr, stock=stock)
    session.add(product)
    session.flush()
    return product


def take_stock(session: Session, product_id: int, qty: int) -> bool:
    """Decrement only if enough is left, in one statement: of two concurrent takes of the
    last items exactly one matches the WHERE clause (the row lock / SQLite's write lock
    serialises them, and the second sees the first's result)."""
    return change_product(session, product_id, only_if=Product.stock >= qty,
                          stock=Product.stock - qty)


def give_back_stock(session: Session, product_id: int, qty: int) -> None:
    change_product(session, product_id, stock=Product.stock + qty)


def hide_product(session: Session, product: Product | int) -> bool:
    """Take a product out of the catalog (searches stop finding it at once); orders keep it."""
    return change_product(session, product, active=False)
