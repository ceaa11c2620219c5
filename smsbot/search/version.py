"""The catalog version: how an in-memory index knows the products or shops changed.

Any flush that adds, changes or deletes a Product or Shop bumps the one-row CatalogVersion
table in the same transaction (a listener on every Session, registered when smsbot.store.engine is
imported). Code that changes the catalog with bulk SQL (`update(Product)...`) must call
`catalog_changed(session)` itself. Readers call `stamp(session)`: one cheap query per search.
"""

from __future__ import annotations

from sqlalchemy import event, insert, text, update
from sqlalchemy.orm import Session as OrmSession

from smsbot.catalog.models import Product, Shop
from smsbot.clock import utcnow
from smsbot.search.models import CatalogVersion
from smsbot.store import txcache as tablecache


def catalog_changed(session) -> None:
    """Mark the catalog as changed (call after bulk SQL on products or shops)."""
    _bump(session.connection())
    tablecache.forget_stamps(session, "catalogversion")


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
    per transaction (tablecache.stamp_once); this session's own catalog writes renew it."""
    return tablecache.stamp_once(
        session, _TABLES, lambda: tuple(session.connection().execute(_STAMP).one()))


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session, _flush_context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (Product, Shop)):
            _bump(session.connection())
            tablecache.forget_stamps(session, "catalogversion")
            return
