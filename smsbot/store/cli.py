"""The CLI's database handle (`--db URL`, opened on first use) and `smsbot db init|upgrade`."""

from __future__ import annotations

import click

from smsbot.store import engine as db


class Obj:
    """What every command gets with @click.pass_obj: the database URL and, on first use,
    its engine (migrated to this version)."""

    def __init__(self, url: str | None):
        self.url = db.resolve_url(url)
        self._engine = None

    @property
    def engine(self):
        if self._engine is None:
            from smsbot.store.migrations import SchemaAheadError

            try:
                self._engine = db.make_engine(self.url)
            except SchemaAheadError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._engine


@click.group("db")
def db_() -> None:
    """Database set-up."""


@db_.command("init")
@click.pass_obj
def db_init(obj) -> None:
    """Create the tables, or migrate them to this version (safe to run again)."""
    obj.engine
    click.echo(f"database ready: {obj.url}")


@db_.command("upgrade")
@click.pass_obj
def db_upgrade(obj) -> None:
    """Migrate the database to this version's schema, keeping its data (every command also
    does this on start). Refuses a database migrated by a newer smsbot."""
    from smsbot.store.migrations import SchemaAheadError, head, prepare

    try:
        engine = db.make_engine(obj.url, create=False)
        outcome = prepare(engine)
    except SchemaAheadError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{obj.url}: {outcome} (schema {head()})")
