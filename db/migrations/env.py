"""Alembic environment for smsbot. Run through `smsbot db upgrade` (smsbot/migrate.py), which
passes the connection in; `render_as_batch` lets the same migrations ALTER tables on SQLite."""

from alembic import context
from sqlmodel import SQLModel

from smsbot.store import schema  # noqa: F401  (registers every table)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("smsbot migrations run online only: use `smsbot db upgrade`")
run_migrations_online()
