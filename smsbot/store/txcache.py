"""Read caches for small tables that change rarely but are read for nearly every SMS
(the shops' ratings and the promo prices CARI shows on each page).

`cached(session, tables, build)` returns `build(session)`, computed again only when one of
`tables` changed: its stamp (newest id and row count, one query for all of them) differs
from the one the cached value was built at. Rows are only ever added to these tables by
smsbot (NILAI, PROMO); an UPDATE in place by hand is not seen until the next insert.

A session that wrote to one of the tables itself (not yet committed) reads them directly,
so it sees its own rows and a rolled-back transaction never leaves its rows in a cache.
Caches are per engine (per database), shared by the threads of a modem pool.
"""

from __future__ import annotations

import threading
import weakref
from contextlib import contextmanager
from itertools import chain
from typing import Callable, TypeVar

from sqlalchemy import event, text
from sqlalchemy.orm import Session as OrmSession

T = TypeVar("T")

_WROTE = "smsbot.store.txcache.wrote"  # session.info: tables this transaction wrote
_MEMO = "smsbot.store.txcache.stamps"  # session.info: {tables: stamp} read in this transaction
_ADDED = "smsbot.store.txcache.added"  # session.info: tables of the rows added since the last flush
_PER_TRANSACTION = {_WROTE, _MEMO, _ADDED}  # session.info keys dropped when a transaction ends
_CACHES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # engine -> {key: (stamp, value)}
_STAMPS: dict[tuple, object] = {}
_LOCK = threading.Lock()


def cached(session, tables: tuple[str, ...], build: Callable[[object], T], key: object = None,
           stamp: Callable[[object], tuple] | None = None) -> T:
    """`build(session)`, kept per database until `tables` change. `stamp(session)` tells
    when they did; by default their newest id and row count (rows only ever added)."""
    flush_pending(session, tables)  # what the query's autoflush would have done
    if session.info.get(_WROTE, set()).intersection(tables):
        return build(session)
    current = stamp(session) if stamp else _row_stamp(session, tables)
    engine = session.get_bind().engine
    with _LOCK:
        cache = _CACHES.setdefault(engine, {})
    slot = (tables, key or build)
    hit = cache.get(slot)
    if hit is not None and hit[0] == current:
        return hit[1]
    value = build(session)
    cache[slot] = (current, value)
    return value


def _row_stamp(session, tables: tuple[str, ...]) -> tuple:
    """Each table's newest id and row count, one query for all (once per transaction)."""
    return stamp_once(session, tables,
                      lambda: tuple(session.connection().execute(_stamp_query(tables)).one()))


def stamp_once(session, tables: tuple[str, ...], read: Callable[[], tuple]) -> tuple:
    """`read()` (a stamp query on `tables`) once per transaction: a batch of SMS asks for
    the same stamps dozens of times. Dropped when the transaction ends and when this
    session writes one of `tables`, so it is never older than the transaction's start:
    a change committed elsewhere meanwhile is seen from the next transaction (batch) on."""
    memo = session.info.setdefault(_MEMO, {})
    stamp = memo.get(tables)
    if stamp is None:
        stamp = memo[tables] = read()
    return stamp


def forget_stamps(session, table: str) -> None:
    """This session changed `table` (bulk SQL): its memoised stamps over it are void."""
    memo = session.info.get(_MEMO)
    if memo:
        for tables in [t for t in memo if table in t]:
            del memo[tables]


@contextmanager
def reading(session, tables: tuple[str, ...]):
    """Queries that read only `tables`: the session flushes first only when it holds
    unflushed changes to them, not for every pending row of a batch (each flush of a few
    rows costs more than one flush of many)."""
    flush_pending(session, tables)
    with session.no_autoflush:
        yield


def flush_pending(session, tables: tuple[str, ...]) -> None:
    """Flush only if the session holds unflushed changes to `tables` (what a query's
    autoflush would do for a query on them, without writing the batch's other rows)."""
    if pending_in(session, tables):
        session.flush()


def per_transaction(key: str) -> str:
    """Make `key` a session.info entry that remembers one transaction only: it is dropped
    at commit and at rollback (a savepoint's too), when other transactions may have
    changed what it holds. Returns `key`."""
    _PER_TRANSACTION.add(key)
    return key


def pending_in(session, tables) -> bool:
    """The session holds unflushed changes to one of `tables` (other pending rows are left
    for the next flush: a flush per look-up was most of a cached look-up's cost)."""
    added = session.info.get(_ADDED)  # new rows by table, noted as they are added:
    if added and not added.isdisjoint(tables):  # a batch holds dozens, asked about often
        return True
    return any(getattr(type(obj), "__tablename__", None) in tables
               for obj in chain(session.dirty, session.deleted))


def _stamp_query(tables: tuple[str, ...]):
    query = _STAMPS.get(tables)
    if query is None:
        parts = [f"(SELECT max(id) FROM {t}), (SELECT count(*) FROM {t})" for t in tables]
        query = _STAMPS[tables] = text("SELECT " + ", ".join(parts))
    return query


def forget() -> None:
    """Drop every cached value (tests, or after restoring a database backup)."""
    with _LOCK:
        _CACHES.clear()


@event.listens_for(OrmSession, "after_flush")
def _note_writes(session, _flush_context) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        name = getattr(obj, "__tablename__", None)
        if name:
            session.info.setdefault(_WROTE, set()).add(name)
            forget_stamps(session, name)


@event.listens_for(OrmSession, "transient_to_pending")
def _note_added(session, instance) -> None:
    session.info.setdefault(_ADDED, set()).add(getattr(type(instance), "__tablename__", None))


@event.listens_for(OrmSession, "after_flush_postexec")
def _added_written(session, _flush_context) -> None:
    session.info.pop(_ADDED, None)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _transaction_over(session, *_previous) -> None:
    for key in _PER_TRANSACTION:
        session.info.pop(key, None)


event.listen(OrmSession, "after_soft_rollback", _transaction_over)
