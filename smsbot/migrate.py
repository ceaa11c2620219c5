"""Schema migrations (Alembic, `db/migrations/`): the same schema on SQLite and PostgreSQL.

`prepare(engine)` runs on every start: an empty database gets the current tables at once
(create_all, then stamped at head: what replaying every migration would build, and a test
holds the two equal); an older one is upgraded in place, keeping its data; a database
migrated by a newer smsbot is refused with a clear message instead of being damaged.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from . import models  # noqa: F401
from .paths import db_root


class SchemaAheadError(RuntimeError):
    """The database was migrated by a newer version of smsbot."""


def config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(db_root() / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def prepare(engine: Engine) -> str:
    """Bring the database to the code's schema; returns what was done."""
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
    _run(engine, command.upgrade, target)


def _run(engine: Engine, action, target: str) -> None:
    with engine.begin() as connection:
        action(config(connection), target)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:
        return False


def _base(script: ScriptDirectory) -> str:
    return script.get_base()


def autogenerate(engine: Engine, message: str, rev_id: str) -> None:
    """Developers: write revision `rev_id` (e.g. "0002") for model changes, diffing against
    `engine` (which must be at the current head)."""
    with engine.begin() as connection:
        command.revision(config(connection), message=message, autogenerate=True, rev_id=rev_id)
