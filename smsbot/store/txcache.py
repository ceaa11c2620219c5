"""Read caches for small tables that change rarely but are read for nearly every SMS
(the shops' ratings and the promo prices CARI shows on each page).

`cached(session, tables, build)` returns `build(session)`, computed again only when one of
`tables` changed: its stamp (newest id and row count, one query for all of them) differs
from the one the cached value was built at. Rows are only ever added to these tables by
smsbot (NILAI, PROMO); an UPDATE in place by hand is not seen until the next insert.

A session that wrote to one of the tables itself (not yet committed) reads them directly,
so it sees its own rows and a rolled-back transaction never leaves its rows in a cache.
Caches are per engine (per database), shared by the threads of a modem pool.

Everything this module remembers about one transaction (the tables it wrote, the stamps it
read, the rows it added, the domains' memos) is one object in `session.info`, dropped at
commit and rollback by the listeners `install()` puts on every Session. smsbot.store.engine
calls `install()` once, when it makes an engine; no other module adds Session listeners.
Domain code keeps its own per-transaction look-ups in `memo(session, name)`, and a writer
that bypasses the ORM's flush (`fast_insert.insert_now`, bulk SQL) tells `wrote(session,
tables)`, the same place a flush reports to, so every cache hears of every write.
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

_TX = "smsbot.store.txcache"  # session.info: this transaction's _Tx, dropped when it ends
_CACHES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # engine -> {key: (stamp, value)}
_STAMPS: dict[tuple, object] = {}
_LOCK = threading.Lock()


def cached(session, tables: tuple[str, ...], build: Callable[[object], T], key: object = None,
           stamp: Callable[[object], tuple] | None = None) -> T:
    """`build(session)`, kept per database until `tables` change. `stamp(session)` tells
    when they did; by default their newest id and row count (rows only ever added)."""
    flush_pending(session, tables)  # what the query's autoflush would have done
    if _tx(session).wrote.intersection(tables):
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
    memo = _tx(session).stamps
    stamp = memo.get(tables)
    if stamp is None:
        stamp = memo[tables] = read()
    return stamp


def memo(session, name: str, drop_if: Callable[[object], bool] | None = None) -> dict:
    """A dict for `name` (a domain's look-ups: contacts by phone, state rows ...) that lives
    as long as the session's transaction: it is empty again after commit and rollback (a
    savepoint's too), when other transactions may have changed what it holds. `drop_if(session)`,
    asked at each flush before the flushed rows are forgotten, empties it when what that
    flush writes makes it wrong (an admin added, for the admin list)."""
    tx = _tx(session)
    found = tx.memos.get(name)
    if found is None:
        found = tx.memos[name] = {}
        if drop_if is not None:
            tx.drop_if[name] = drop_if
    return found


def wrote(session, tables) -> None:
    """This session's transaction wrote `tables` (a flush, `insert_now`, bulk SQL): caches
    over them read the database again until it ends, its memoised stamps over them are
    void, and the watchers of those tables (the catalog version) are told."""
    tx = _tx(session)
    tx.wrote.update(tables)
    for table in tables:
        forget_stamps(session, table)
    for watched, react in _WATCHERS:
        if not watched.isdisjoint(tables):
            react(session)


def wrote_any(session, tables) -> bool:
    """This session's transaction (not yet committed) wrote one of `tables`."""
    return not _tx(session).wrote.isdisjoint(tables)


def watch(tables: tuple[str, ...], react: Callable[[object], None]) -> None:
    """Call `react(session)` whenever a session writes one of `tables` (set up once, by
    smsbot.store.engine, beside `install()`)."""
    entry = (frozenset(tables), react)
    if entry not in _WATCHERS:
        _WATCHERS.append(entry)


def forget_stamps(session, table: str) -> None:
    """This session changed `table`: its memoised stamps over it are void."""
    memo = _tx(session).stamps
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


def pending_in(session, tables) -> bool:
    """The session holds unflushed changes to one of `tables` (other pending rows are left
    for the next flush: a flush per look-up was most of a cached look-up's cost)."""
    added = _tx(session).added  # new rows by table, noted as they are added:
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


class _Tx:
    """What one transaction of a session remembers (see the module docstring)."""

    __slots__ = ("wrote", "stamps", "added", "memos", "drop_if")

    def __init__(self):
        self.wrote: set[str] = set()  # tables this transaction wrote
        self.stamps: dict[tuple, tuple] = {}  # {tables: stamp} read in this transaction
        self.added: set[str] = set()  # tables of the rows added since the last flush
        self.memos: dict[str, dict] = {}
        self.drop_if: dict[str, Callable] = {}


def _tx(session) -> _Tx:
    tx = session.info.get(_TX)
    if tx is None:
        tx = session.info[_TX] = _Tx()
    return tx


_WATCHERS: list[tuple[frozenset, Callable]] = []
_INSTALLED = False


def install() -> None:
    """Put this module's listeners on every Session, once (smsbot.store.engine does)."""
    global _INSTALLED
    with _LOCK:
        if _INSTALLED:
            return
        event.listen(OrmSession, "after_flush", _flushed)
        event.listen(OrmSession, "transient_to_pending", _added)
        event.listen(OrmSession, "after_flush_postexec", _added_written)
        for name in ("after_commit", "after_rollback", "after_soft_rollback"):
            event.listen(OrmSession, name, _transaction_over)
        _INSTALLED = True


def _flushed(session, _flush_context) -> None:
    tx = _tx(session)
    for name, drop_if in list(tx.drop_if.items()):
        if drop_if(session):
            tx.memos.pop(name, None)
            del tx.drop_if[name]
    tables = {getattr(obj, "__tablename__", None)
              for obj in chain(session.new, session.dirty, session.deleted)}
    tables.discard(None)
    if tables:
        wrote(session, tables)


def _added(session, instance) -> None:
    _tx(session).added.add(getattr(type(instance), "__tablename__", None))


def _added_written(session, _flush_context) -> None:
    _tx(session).added.clear()


def _transaction_over(session, *_previous) -> None:
    session.info.pop(_TX, None)
