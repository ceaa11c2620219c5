"""Write one ORM row at once, without flushing the rest of the session.

A handler that needs a new row's id (an order for its sub-orders, a ticket for its first
message) used to `session.flush()`, which also wrote every row the batch had pending (each
new sender's contact, conversation states ...) a few at a time. `insert_now` writes only
this row with one Core INSERT and attaches the object as persistent; the batch's other
rows go out together at its next flush (one flush of many rows costs far less per row than
many flushes of a few).

The INSERT is reported to smsbot.store.txcache (`wrote`), where a flush reports its tables:
the caches and the catalog version hear of it as they would of a flush.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import insert
from sqlalchemy.orm import make_transient_to_detached

from smsbot.store import txcache

T = TypeVar("T")

_INSERTS: dict = {}


def insert_now(session, obj: T) -> T:
    """INSERT `obj` (a new SQLModel row without an id) now; it comes back with its id,
    persistent in `session` as if loaded."""
    table = type(obj).__table__
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = insert(table)
    values = {column.key: getattr(obj, column.key) for column in table.columns
              if not column.primary_key}
    result = session.connection().execute(statement, values)
    obj.id = result.inserted_primary_key[0]
    txcache.wrote(session, (table.name,))
    make_transient_to_detached(obj)
    session.add(obj)
    return obj
