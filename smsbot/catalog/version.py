"""The catalog version: how an in-memory index knows the products or shops changed.

Every write to the product or shop table bumps the one-row CatalogVersion table in the same
transaction: smsbot.store.engine has smsbot.store.txcache call `catalog_changed` for each
flush, `insert_now` and bulk write that touches them (`watch`), and smsbot changes stock and
prices in bulk only through `smsbot.catalog.changes.change_product`, which reports its
UPDATE there. Readers call `stamp(session)`: one cheap query per transaction.

The bump also writes the new number into the `version` of each row it is for: the rows this
flush changed (the ORM's dirty objects), and every row still at -1 (a new row's default; a
bulk writer that skips the ORM sets `version=-1` on the rows it updates, or sets the number
itself as change_product does). An index at version V then reads only `version > V`
(smsbot.search.live). The row number is written after the bump, which holds the
catalogversion row lock until commit, so of two concurrent writers the later-committing one
always tags its rows with the higher number and no reader skips a row.
"""

from __future__ import annotations

from sqlalchemy import insert, select, text, update

from smsbot.catalog.models import CatalogVersion, Product, Shop
from smsbot.clock import utcnow
from smsbot.store import txcache

TABLES = ("product", "shop")  # a write to these changes the catalog


def catalog_changed(session) -> None:
    """Mark the catalog as changed in this session's transaction (txcache calls it for
    every write to TABLES; nothing else needs to)."""
    connection = session.connection()
    number = _bump(connection)
    txcache.forget_stamps(session, "catalogversion")
    for model in (Product, Shop):
        table = model.__table__
        connection.execute(update(table).where(table.c.version < 0).values(version=number))
        changed = [obj.id for obj in session.dirty if type(obj) is model and obj.id is not None]
        for start in range(0, len(changed), 500):
            connection.execute(update(table).where(table.c.id.in_(changed[start:start + 500]))
                               .values(version=number))


def current_number():
    """The catalog version as an SQL expression (for an UPDATE in the bumping transaction)."""
    table = CatalogVersion.__table__
    return select(table.c.version).where(table.c.id == 1).scalar_subquery()


def _bump(connection) -> int:
    table = CatalogVersion.__table__
    done = connection.execute(update(table).where(table.c.id == 1).values(
        version=table.c.version + 1, updated_at=utcnow()))
    if not done.rowcount:
        connection.execute(insert(table).values(id=1, version=1, updated_at=utcnow()))
    return connection.execute(select(table.c.version).where(table.c.id == 1)).scalar_one()


_STAMP = text("SELECT (SELECT version FROM catalogversion WHERE id = 1),"
              " (SELECT max(id) FROM product), (SELECT max(id) FROM shop)")
_TABLES = ("catalogversion", "product", "shop")


def stamp(session) -> tuple:
    """(version, newest product id, newest shop id): equal stamps, same catalog. Read once
    per transaction (txcache.stamp_once); this session's own catalog writes renew it."""
    return txcache.stamp_once(
        session, _TABLES, lambda: tuple(session.connection().execute(_STAMP).one()))
