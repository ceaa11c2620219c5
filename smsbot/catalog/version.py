"""The catalog version: how an in-memory index knows the products or shops changed.

Every write to the product or shop table bumps the one-row CatalogVersion table in the same
transaction: smsbot.store.engine has smsbot.store.txcache call `catalog_changed` for each
flush, `insert_now` and bulk write that touches them (`watch`), and smsbot changes stock and
prices in bulk only through `smsbot.catalog.changes.change_product`, which reports its
UPDATE there. Readers call `stamp(session)`: one cheap query per transaction.
"""

from __future__ import annotations

from sqlalchemy import insert, text, update

from smsbot.catalog.models import CatalogVersion
from smsbot.clock import utcnow
from smsbot.store import txcache

TABLES = ("product", "shop")  # a write to these changes the catalog


def catalog_changed(session) -> None:
    """Mark the catalog as changed in this session's transaction (txcache calls it for
    every write to TABLES; nothing else needs to)."""
    _bump(session.connection())
    txcache.forget_stamps(session, "catalogversion")


def _bump(connection) -> None:
    table = CatalogVersion.__table__
    done = connection.execute(update(table).where(table.c.id == 1).values(
        version=table.c.version + 1, updated_at=utcnow()))
    if not done.rowcount:
        connection.execute(insert(table).values(id=1, version=1, updated_at=utcnow()))


_STAMP = text("SELECT (SELECT version FROM catalogversion WHERE id = 1),"
              " (SELECT max(id) FROM product), (SELECT max(id) FROM shop)")
_TABLES = ("catalogversion", "product", "shop")


def stamp(session) -> tuple:
    """(version, newest product id, newest shop id): equal stamps, same catalog. Read once
    per transaction (txcache.stamp_once); this session's own catalog writes renew it."""
    return txcache.stamp_once(
        session, _TABLES, lambda: tuple(session.connection().execute(_STAMP).one()))
