"""The engine: one place that knows the database URL and how to open it.

SQLite by default (a file, WAL mode so the daemon and `smsbot chat`/CLI can read while
the daemon writes); any SQLAlchemy URL through `--db` or `SMSBOT_DB`.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from smsbot.catalog import version as catalog_version
from smsbot.store import (
    schema,  # noqa: F401  (registers every table)
    txcache,
)

DEFAULT_URL = "sqlite:///var/smsbot.db"
ENV_VAR = "SMSBOT_DB"


def resolve_url(cli_value: str | None = None) -> str:
    """`--db` wins, then `$SMSBOT_DB`, then `var/smsbot.db` under the current folder.
    A bare file path is accepted as an SQLite database."""
    url = cli_value or os.environ.get(ENV_VAR) or DEFAULT_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    return url


def make_engine(url: str | None = None, *, create: bool = True) -> Engine:
    """An engine for `url`; with `create`, the schema is created or migrated to the code's
    (smsbot.store.migrations.prepare)."""
    url = resolve_url(url)
    install_listeners()
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    if create:
        from smsbot.store.migrations import prepare

        prepare(engine)
    return engine


def install_listeners() -> None:
    """The only Session listeners smsbot has, put on once: the transaction caches
    (smsbot.store.txcache), which also bump the catalog version for every write to products
    or shops, whichever way it is written (flush, insert_now, change_product)."""
    txcache.install()
    txcache.watch(catalog_version.TABLES, catalog_version.catalog_changed)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a killed process
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
