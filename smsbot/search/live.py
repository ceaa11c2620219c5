"""One search index per database, kept up to date by catalog version.

`load(session)` gives the index of the session's database: built once per process from the
database (or read from its snapshot, smsbot.search.snapshot) and caught up in place when
`version.stamp` changes (one cheap query per search): only the rows changed since, by their
`version` column, so imports and STOK/HARGA changes made by any process show up on the next
search without a rebuild. `apply` shows a writer's own rows at once, `load_later` loads in
the background (a daemon's start), `forget` drops them all.

For benches: `build(session)` and `STATS` (full builds, catch-ups, snapshots read).
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import select
from sqlmodel import Session

from smsbot.catalog import version
from smsbot.catalog.models import Product, Shop
from smsbot.search import snapshot
from smsbot.search.bulk import gc_paused
from smsbot.search.index import Hit, Index, folding
from smsbot.store import txcache

__all__ = ["Hit", "Index", "apply", "build", "forget", "load", "load_later"]
log = logging.getLogger(__name__)
_LOCK = threading.Lock()
_INDEXES: dict[str, Index] = {}
# A catch-up costs a row (25-115 us) per price or stock changed, REPOST_WEIGHT rows (110-370
# us: its words re-posted, its code placed) per product renamed, added or hidden and per shop
# changed; past REBUILD_ROWS of them a full build is quicker (2.4-3.3 s at city scale; README)
REBUILD_ROWS = 40_000
REPOST_WEIGHT = 4
_PRODUCT_COLUMNS = (Product.id, Product.code, Product.name, Product.category, Product.price_idr,
                    Product.stock, Product.shop_id)
_SHOP_COLUMNS = (Shop.id, Shop.code, Shop.name, Shop.address, Shop.kelurahan, Shop.lat, Shop.lon,
                 Shop.hours)
SNAPSHOT_FROM = 10_000  # products: below this a build is quicker than reading a snapshot
SNAPSHOT_AGAIN = 2_000  # rows changed since the last snapshot: a restart would catch up ~0.2 s
STATS = {"builds": 0, "changes": 0, "snapshots": 0}  # full builds and in-place catch-ups (tests, benches)


def load(session) -> Index:
    """The fresh index for this session's database (one stamp query when nothing changed).

    A catalog changed since the index was read is caught up in place: the product and shop
    rows whose `version` is above the one the index holds (smsbot.catalog.version), from
    this process or any other. Rows this session's own transaction wrote are shown to it at
    once but read again by the next clean transaction (it may still roll back)."""
    key = str(session.get_bind().url)
    current = version.stamp(session)
    index = _INDEXES.get(key)
    if index is not None and index.stamp == current and not index.unsure:
        return index
    with _LOCK:
        index = _INDEXES.get(key)
        if index is None:
            index = _snapshot(session, current)
        if index is None or not _catch_up(session, index, current):
            clean = not txcache.wrote_any(session, version.TABLES)
            index = build(session, current if clean else ())  # () : caught up when committed
            if clean and index.size >= SNAPSHOT_FROM:
                snapshot.save_later(session, index)
        elif index.changed_rows >= SNAPSHOT_AGAIN and index.size >= SNAPSHOT_FROM \
                and index.stamp == current and not index.unsure:
            index.changed_rows = 0
            snapshot.save_later(session, index)  # so a restart has little to catch up
        _INDEXES[key] = index
    return index


def _snapshot(session, current: tuple) -> Index | None:
    """The saved index, if it is of this database's past (not of a restored older copy) and
    its words were folded as this version folds them."""
    state = snapshot.read(session)
    if not isinstance(state, dict) or state.get("folding") != folding() or not current:
        return None
    held = state.get("stamp")
    if not (isinstance(held, tuple) and held and isinstance(held[0] or 0, int)) or \
            (held[0] or 0) > (current[0] or 0):
        return None
    with gc_paused():
        index = Index.from_columns(state)
    STATS["snapshots"] += 1
    return index


def apply(session, product_ids=(), shop_ids=()) -> None:
    """Read these products and shops again into this database's loaded index at once (a
    writer that knows what it changed; `load` finds every change by version anyway)."""
    key = str(session.get_bind().url)
    if key not in _INDEXES or not (product_ids or shop_ids):
        return
    products, shops = _rows(session, Product.id.in_(list(product_ids)) if product_ids else None,
                            Shop.id.in_(list(shop_ids)) if shop_ids else None)
    with _LOCK:
        index = _INDEXES.get(key)
        if index is None:
            return
        if not index.change(products, shops):
            del _INDEXES[key]  # the next load builds it
        elif txcache.wrote_any(session, version.TABLES):
            index.unsure.update(product_ids)


def _catch_up(session, index: Index, current: tuple) -> bool:
    """Apply the rows changed since `index.stamp`; False when a full build is due."""
    if index.stamp == current and not index.unsure:
        return True
    held = (index.stamp[0] if index.stamp else 0) or 0
    products, shops = _rows(session, Product.version > held, Shop.version > held,
                            limit=REBUILD_ROWS + 1)
    if len(products) > REBUILD_ROWS or \
            len(products) + REPOST_WEIGHT * (index.reposts(products) + len(shops)) > REBUILD_ROWS:
        return False
    if index.unsure:
        products += _rows(session, Product.id.in_(list(index.unsure)))[0]
    if not index.change(products, shops):
        return False
    STATS["changes"] += 1
    if txcache.wrote_any(session, version.TABLES):  # not committed: ask again next time
        index.unsure.update(row[0] for row in products)
    else:
        index.unsure.clear()
        index.stamp = current
    return True


def _rows(session, product_where, shop_where=None, limit=None) -> tuple[list[tuple], list[tuple]]:
    connection = session.connection()
    products = shops = []
    if product_where is not None:
        products = [tuple(r) for r in connection.execute(
            select(*_PRODUCT_COLUMNS, Product.active).where(product_where).limit(limit)).all()]
    if shop_where is not None:
        shops = [tuple(r) for r in connection.execute(
            select(*_SHOP_COLUMNS, Shop.active).where(shop_where).limit(limit)).all()]
    return products, shops


def build(session, stamp: tuple = ()) -> Index:
    STATS["builds"] += 1
    connection = session.connection()
    # plain tuples straight from the cursor: a list of result rows beside them would double
    # the build's peak memory at city scale
    shops = [tuple(s) for s in connection.execute(
        select(*_SHOP_COLUMNS).where(Shop.active == True))]  # noqa: E712
    with gc_paused():
        # the option on the statement: on the connection it would stay for the session's
        # later statements, and PostgreSQL cannot stream an UPDATE through a server cursor
        products = connection.execute(select(*_PRODUCT_COLUMNS).where(
            Product.active == True).execution_options(yield_per=10_000))  # noqa: E712
        return Index(products, shops, stamp)  # in batches from the cursor


def load_later(engine) -> threading.Thread:
    """Load this database's index in a background thread. A daemon calls it as it starts:
    its modem opens meanwhile (Gammu lets other threads run while it waits on the modem),
    and a CARI that comes before the index is ready waits for this load, not for another."""
    def load_now():
        started, before = time.perf_counter(), dict(STATS)
        try:
            with Session(engine) as session:
                index = load(session)
        except Exception:  # the first CARI loads it again and reports what is wrong
            log.warning("search index not loaded ahead", exc_info=True)
            return
        how = "snapshot" if STATS["snapshots"] > before["snapshots"] else \
            "build" if STATS["builds"] > before["builds"] else "already loaded"
        log.info("search index ready: %d products, %s, %.2f s", index.size, how,
                 time.perf_counter() - started)
    thread = threading.Thread(target=load_now, name="index-load", daemon=True)
    thread.start()
    return thread


def forget() -> None:
    """Drop every cached index (tests, or after restoring a database backup)."""
    with _LOCK:
        _INDEXES.clear()
