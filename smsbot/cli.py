"""The `smsbot` command: thin shells that wire config, engine and transport together.

The scripting contract (`import`, `contacts add`, `chat`, `run --until-idle`, `phone send`)
is a public interface; other tools and the tests depend on its exact form.
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

import click
from sqlmodel import Session, func, select

from smsbot import __version__
from smsbot.catalog.models import Product, Shop
from smsbot.clock import utcnow
from smsbot.contacts import directory as contacts
from smsbot.contacts.models import Contact
from smsbot.contacts.phones import normalize
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.sms import grammar as grammar_module
from smsbot.store import engine as db


class Obj:
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


# -- import ------------------------------------------------------------------------------
@main.group("import")
def import_group() -> None:
    """Load shops and products from CSV (upsert by code, all or nothing per file)."""


def _import(obj: Obj, kind: str, path: Path) -> None:
    from smsbot.catalog.importer import import_file

    report = import_file(obj.engine, kind, path, utcnow())
    if not report.ok:
        for error in report.errors:
            click.echo(f"{path}: {error}", err=True)
        click.echo(f"{path}: nothing imported ({len(report.errors)} problem(s))", err=True)
        sys.exit(1)
    click.echo(f"{path}: {report.created} {kind} added, {report.updated} updated")


@import_group.command("shops")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def import_shops(obj: Obj, path: Path) -> None:
    """Import shops. Header: code,name,phone,address,kelurahan,lat,lon,hours,assets_idr,
    annual_sales_idr. Empty lat/lon: the kelurahan's centre. Each shop's phone becomes a
    seller contact."""
    _import(obj, "shops", path)


@import_group.command("products")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def import_products(obj: Obj, path: Path) -> None:
    """Import products. Header: code,shop_code,name,category,price_idr,unit,stock."""
    _import(obj, "products", path)


# -- contacts ------------------------------------------------------------------------------
@main.group("contacts")
def contacts_group() -> None:
    """Buyers, sellers and admins (one contact per phone number)."""


@contacts_group.command("add")
@click.argument("phone")
@click.option("--role", type=click.Choice(contacts.ROLES), required=True)
@click.option("--name", default=None, help="Display name.")
@click.option("--pin", default=None, help="PIN for privileged SMS commands (stored hashed).")
@click.pass_obj
def contacts_add(obj: Obj, phone: str, role: str, name: str | None, pin: str | None) -> None:
    """Add a contact, or change its role, name or PIN. PHONE: 0812..., 62812... or +62812..."""
    e164 = normalize(phone)
    if e164 is None:
        raise click.BadParameter(f"{phone!r} is not a phone number (e.g. 081234567890)",
                                 param_hint="PHONE")
    if pin is not None and not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise click.BadParameter("PIN must be 4 to 8 digits", param_hint="--pin")
    with Session(obj.engine) as session:
        contact = contacts.upsert(session, e164, utcnow(), role=role, name=name, pin=pin)
        session.commit()
        click.echo(f"{contact.phone} {contact.role} {contact.name}".rstrip())


@contacts_group.command("list")
@click.option("--role", type=click.Choice(contacts.ROLES), default=None)
@click.pass_obj
def contacts_list(obj: Obj, role: str | None) -> None:
    """List contacts."""
    with Session(obj.engine) as session:
        query = select(Contact).order_by(Contact.role, Contact.phone)
        if role:
            query = query.where(Contact.role == role)
        interests = _interests(session)
        for contact in session.exec(query):
            optin = "promo" if contact.promo_opt_in else "-"
            follows = ", ".join(interests.get(contact.phone, []))
            click.echo(f"{contact.phone:16} {contact.role:7} {optin:6} {contact.name}"
                       + (f" ({contact.kelurahan})" if contact.kelurahan else "")
                       + (f" follows: {follows}" if follows else ""))


def _interests(session: Session) -> dict[str, list[str]]:
    """IKUTI interests by phone (issue 6)."""
    from smsbot.broadcasts.models import Follow

    found: dict[str, list[str]] = {}
    for follow in session.exec(select(Follow).order_by(Follow.id)):
        found.setdefault(follow.phone, []).append(follow.value)
    return found


# -- chat, run, phone, demo -------------------------------------------------------------------
@main.command("chat")
@click.pass_obj
def chat(obj: Obj) -> None:
    """Run JSON lines from stdin through the bot; one JSON line per outgoing SMS on stdout.

    Input: {"from": PHONE, "text": TEXT, "at": ISO-8601} (at optional; a line with only
    "at" advances the simulated clock). Output: {"to", "text", "segments", "encoding",
    "kind"}. State persists in the database between runs. Exit 2 if a line was unusable."""
    from smsbot.sim.chat import run_chat

    bad = run_chat(obj.engine, sys.stdin, sys.stdout, grammar_module.load())
    if bad:
        sys.exit(2)


@main.command("run")
@click.option("--modem", "gammurcs", required=True, multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Gammu config file (see modem_config/). Repeat for a modem pool: one thread "
                   "per modem; each modem is named after its file (names must be distinct).")
@click.option("--section", default=0, show_default=True, help="Section of the gammurc to use.")
@click.option("--until-idle", is_flag=True,
              help="Exit once the modem inbox is empty and the outbox is drained.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between inbox polls.")
@click.option("--quiet-hours", envvar="SMSBOT_QUIET_HOURS", default=None,
              help="No broadcasts in these local hours [21:00-07:00; off = none; "
                   "$SMSBOT_QUIET_HOURS].")
@click.option("--send-rate", envvar="SMSBOT_SEND_RATE", type=int, default=None,
              help="Messages per minute on each modem [6; 0 = no limit; $SMSBOT_SEND_RATE].")
@click.option("--promos-per-day", envvar="SMSBOT_PROMOS_PER_DAY", type=int, default=None,
              help="Broadcasts per contact per day [1; 0 = no cap; $SMSBOT_PROMOS_PER_DAY].")
@click.option("--no-scheduler", is_flag=True,
              help="Don't start the APScheduler job (the daemon's timer still expands broadcasts). "
                   "Give it to every daemon but one on a shared database.")
@click.option("--give-up-after", "give_up", default=0, show_default=True, metavar="N",
              help="Exit 1 after N modem failures in a row (0: never; keep retrying with "
                   "backoff, as a service should).")
@click.option("--delivery-reports/--no-delivery-reports", default=False, show_default=True,
              help="Ask the network for a status report on every SMS and record delivered/"
                   "failed on the outbox row (off: Indonesian operators' reports are unreliable).")
@click.pass_obj
def run(obj: Obj, gammurcs: tuple[str, ...], section: int, until_idle: bool, poll: float,
        quiet_hours: str | None, send_rate: int | None, promos_per_day: int | None,
        no_scheduler: bool, give_up: int, delivery_reports: bool) -> None:
    """The daemon: answer SMS on one or more modems until stopped (SIGTERM/SIGINT finish
    the message in hand, then exit 0). A modem that cannot be opened, or fails later, is
    reopened with backoff (1 s, 2 s ... 60 s); the daemon does not exit on its own. Several
    daemons may share one PostgreSQL database."""
    from smsbot.messages.send_settings import Settings
    from smsbot.modem.daemon import ModemUnavailable
    from smsbot.modem.pool import Pool
    from smsbot.modem.transport.gammu_modem import GammuTransport

    try:
        settings = Settings.from_env(quiet_hours=quiet_hours, send_rate=send_rate,
                                     promos_per_day=promos_per_day)
    except ValueError as exc:
        raise click.UsageError(str(exc))
    if not logging.getLogger().isEnabledFor(logging.INFO) and not until_idle:
        logging.getLogger().setLevel(logging.INFO)
    transports = [GammuTransport(gammurc, section=section, delivery_reports=delivery_reports)
                  for gammurc in gammurcs]
    try:
        pool = Pool(obj.engine, transports, poll_interval=poll, settings=settings,
                    max_connect_failures=give_up)
    except ValueError as exc:
        click.echo(f"smsbot run: {exc}", err=True)
        sys.exit(1)
    scheduler = None
    if not no_scheduler and not until_idle:
        from smsbot.broadcasts.scheduler import start_scheduler

        scheduler = start_scheduler(obj.url, obj.engine)
    gc.freeze()  # the start-up's objects live as long as the daemon: keep them out of GC scans
    try:
        pool.run(until_idle=until_idle)
    except ModemUnavailable as exc:
        click.echo(f"smsbot run: giving up: {exc}", err=True)
        sys.exit(1)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        for transport in transports:
            transport.close()


@main.group("phone")
def phone_group() -> None:
    """Act as a phone on the network (dummy modem only): for the demo and tests."""


@phone_group.command("send")
@click.option("--modem", "gammurc", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--from", "sender", required=True, help="The sender's number (or an ID).")
@click.argument("text")
def phone_send(gammurc: str, sender: str, text: str) -> None:
    """Put an incoming SMS into a dummy modem; long texts arrive as a real multipart SMS."""
    from smsbot.modem.transport import TransportError
    from smsbot.modem.transport.gammu_modem import GammuTransport

    try:
        transport = GammuTransport(gammurc).open()
        parts = transport.inject(sender, text)
        transport.close()
    except TransportError as exc:
        click.echo(f"smsbot phone send: {exc}", err=True)
        sys.exit(1)
    click.echo(f"queued on the modem: 1 SMS from {sender} in {parts} part(s)")


@main.command("demo")
@click.option("--dir", "folder", default="var/demo", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the dummy modem, its log and (without --db) the database.")
@click.option("--script", is_flag=True, help="Play the scripted conversation even in a terminal.")
@click.option("--web-port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port of the website on 127.0.0.1 (0 = no website).")
@click.pass_context
def demo(ctx: click.Context, folder: Path, script: bool, web_port: int) -> None:
    """Seed demo data, run the bot on a dummy modem and open a phone simulator (without a
    terminal: play a short scripted conversation and exit). The website runs beside it and
    its URL is printed."""
    from smsbot.sim.demo import run_demo

    obj: Obj = ctx.obj
    if ctx.find_root().params.get("db_url") is None:
        obj.url = db.resolve_url(str(folder / "smsbot.db"))
    sys.exit(run_demo(obj.engine, folder, interactive=sys.stdin.isatty() and not script,
                      web_port=web_port))


# -- db and status -------------------------------------------------------------------------
@main.group("db")
def db_group() -> None:
    """Database set-up."""


@db_group.command("init")
@click.pass_obj
def db_init(obj: Obj) -> None:
    """Create the tables, or migrate them to this version (safe to run again)."""
    obj.engine
    click.echo(f"database ready: {obj.url}")


@db_group.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Obj) -> None:
    """Migrate the database to this version's schema, keeping its data (every command also
    does this on start). Refuses a database migrated by a newer smsbot."""
    from smsbot.store.migrations import SchemaAheadError, head, prepare

    try:
        engine = db.make_engine(obj.url, create=False)
        outcome = prepare(engine)
    except SchemaAheadError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{obj.url}: {outcome} (schema {head()})")


@db_group.command("seed")
@click.pass_obj
def db_seed(obj: Obj) -> None:
    """Load the Payakumbuh demo catalog, a demo admin (081200000001, PIN 1234) and buyer."""
    from smsbot.sim.seed import seed_demo

    reports = seed_demo(obj.engine, utcnow())
    for kind, report in reports.items():
        click.echo(f"{kind}: {report.created} added, {report.updated} updated")


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


from smsbot.orders import cli as cli_orders

main.add_command(cli_orders.orders)

from smsbot.crm import cli as cli_crm

main.add_command(cli_crm.complaints); main.add_command(cli_crm.shops); main.add_command(cli_crm.report)  # noqa: E702,E501

from smsbot.broadcasts import cli as cli_broadcast

main.add_command(cli_broadcast.broadcast)

from smsbot.search import cli as cli_search

cli_crm.report.add_command(cli_search.searches)

from smsbot.contacts import cli as cli_security
from smsbot.modem import cli as cli_modem

main.add_command(cli_modem.modem)
main.add_command(cli_security.security)

from smsbot.web import cli as cli_web

main.add_command(cli_web.web)
