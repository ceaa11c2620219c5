"""The `smsbot` command: the root group and one visible list of every domain's commands.

Each domain keeps its own commands next to its rules (`smsbot/<domain>/cli.py`); this module
only wires them. The scripting contract (`import`, `contacts add`, `chat`, `run --until-idle`,
`phone send`, `modem emulate`) is a public interface; other tools and the tests depend on its
exact form.
"""

from __future__ import annotations

import logging
import sys

import click
from sqlmodel import Session, func, select

from smsbot import __version__
from smsbot.broadcasts import cli as broadcasts_cli
from smsbot.catalog import cli as catalog_cli
from smsbot.catalog.models import Product, Shop
from smsbot.contacts import cli as contacts_cli
from smsbot.contacts.models import Contact
from smsbot.crm import cli as crm_cli
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem import cli as modem_cli
from smsbot.orders import cli as orders_cli
from smsbot.search import cli as search_cli
from smsbot.sim import cli as sim_cli
from smsbot.store import cli as store_cli, engine as db
from smsbot.store.cli import Obj
from smsbot.web import cli as web_cli


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_url", metavar="URL", envvar=db.ENV_VAR,
              help="Database (SQLAlchemy URL or SQLite file path). Default: $SMSBOT_DB, "
                   "else var/smsbot.db in the current folder.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(__version__, prog_name="smsbot")
@click.pass_context
def main(ctx: click.Context, db_url: str | None, verbose: int) -> None:
    """smsbot: SMS-first commerce for the traditional-food UMKM of Kota Payakumbuh.

    Buyers text CARI, PESAN, LOKASI ... from any phone; the daemon answers through a GSM
    modem driven by Gammu. Start with `smsbot demo` to try it on a dummy modem.
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = Obj(db_url)


@main.command("status")
@click.pass_obj
def status(obj: Obj) -> None:
    """Counts: shops, products, contacts, inbound by status, outbox by status."""
    with Session(obj.engine) as session:
        for label, model in (("shops", Shop), ("products", Product), ("contacts", Contact)):
            click.echo(f"{label}: {session.exec(select(func.count()).select_from(model)).one()}")
        for label, model in (("inbound", InboundMessage), ("outbox", OutboxMessage)):
            rows = session.exec(select(model.status, func.count()).group_by(model.status)).all()
            click.echo(f"{label}: " + (", ".join(f"{s} {n}" for s, n in rows) or "empty"))


for command in (
    catalog_cli.import_,
    contacts_cli.contacts_,
    contacts_cli.security,
    sim_cli.chat,
    sim_cli.demo,
    modem_cli.run,
    modem_cli.phone,
    modem_cli.modem,
    store_cli.db_,
    orders_cli.orders,
    crm_cli.complaints,
    crm_cli.shops,
    crm_cli.report,
    broadcasts_cli.broadcast,
    web_cli.web,
):
    main.add_command(command)
store_cli.db_.add_command(sim_cli.seed)
crm_cli.report.add_command(search_cli.searches)
