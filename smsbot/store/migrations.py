"""Schema migrations (Alembic, `db/migrations/`): the same schema on SQLite and PostgreSQL.

`prepare(engine)` runs on every start: an empty database gets the current tables at once
(create_all, then stamped at head: what replaying every migration would build, and a test
holds the two equal); an older one is upgraded in place, keeping its data; a database
migrated by a newer smsbot is refused with a clear message instead of being damaged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from smsbot.paths import db_root
from smsbot.store import schema  # noqa: F401  (registers every table)

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory


class SchemaAheadError(RuntimeError):
    """The database was migrated by a newer version of smsbot."""


def config(connection=None) -> Config:
    from alembic.config import (
        Config,  # imported when needed: a current database needs none
    )

    cfg = Config()
    cfg.set_main_option("script_location", str(db_root() / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config()).get_current_head()


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def prepare(engine: Engine) -> str:
    """Bring the database to the code's schema; returns what was done."""
    if _at_head(engine):  # every start of a current database: one query, no script parsing
        return "current"
    from alembic import command
    from alembic.script import ScriptDirectory

    tables = set(inspect(engine).get_table_names())
    if not tables - {"alembic_version"}:
        SQLModel.metadata.create_all(engine)
        _run(engine, command.stamp, "head")
        return "created"
    revision = current(engine)
    script = ScriptDirectory.from_config(config())
    if revision is not None and not _known(script, revision):
        raise SchemaAheadError(
            f"the database is at schema revision {revision}, which this smsbot ({head()}) does "
            "not know: it was upgraded by a newer smsbot. Upgrade smsbot, or restore a backup.")
    if revision is None:
        _run(engine, command.stamp, _base(script))  # tables made before migrations existed
        revision = _base(script)
    if revision == head():
        return "current"
    _run(engine, command.upgrade, "head")
    return f"upgraded {revision} -> {head()}"


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    _run(engine, command.upgrade, target)


def _run(engine: Engine, action, target: str) -> None:
    with engine.begin() as connection:
        action(config(connection), target)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:
        return False


_REVISION = re.compile(r"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]\s*$", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=\n]*)?=\s*(?:['\"]([^'\"]+)['\"]|(None))\s*$", re.M)


def quick_head() -> str | None:
    """The head revision from the migration files' text, without Alembic parsing them:
    the one revision no file names as its down_revision. None when that is not plain (a
    merge's tuple, several heads); then Alembic decides."""
    revisions, downs = set(), set()
    for path in (db_root() / "migrations" / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None and down is None:
            continue  # __init__.py
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1):
            downs.add(down.group(1))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def _at_head(engine: Engine) -> bool:
    head_now = quick_head()
    if head_now is None:
        return False
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:  # no alembic_version table yet
        return False
    return [tuple(row) for row in rows] == [(head_now,)]


def _base(script: ScriptDirectory) -> str:
    return script.get_base()


def autogenerate(engine: Engine, message: str, rev_id: str) -> None:
    """Developers: write revision `rev_id` (e.g. "0002") for model changes, diffing against
    `engine` (which must be at the current head)."""
    from alembic import command

    with engine.begin() as connection:
        command.revision(config(connection), message=message, autogenerate=True, rev_id=rev_id)
