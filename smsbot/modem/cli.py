"""The modem's commands: `smsbot run` (the daemon), `smsbot phone send` (an incoming SMS
into a test modem) and `smsbot modem status` (what the admin checks when SMS stop flowing).
`run` and `phone send` are part of the scripting contract."""

from __future__ import annotations

import gc
import json
import logging
import sys

import click

from smsbot.modem.emulator.cli import emulate


@click.command("run")
@click.option("--modem", "gammurcs", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Gammu config file (see modem_config/). Repeat for a modem pool: one thread "
                   "per modem; each modem is named after its file (names must be distinct).")
@click.option("--smsd", "smsd_url", default=None, metavar="DB_URL",
              help="Instead of a modem: a running gammu-smsd's SQL database (SQLAlchemy URL, "
                   "e.g. postgresql+psycopg://smsd@localhost/smsd or mysql+pymysql://...): "
                   "read its inbox, write its outbox (README: behind an existing gammu-smsd).")
@click.option("--smsd-phone", default="", metavar="ID",
              help="gammu-smsd's PhoneID: only its inbox rows, and only it sends the replies.")
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
@click.option("--modem-timeout", "modem_timeout", type=float, default=30.0, show_default=True,
              metavar="SECONDS",
              help="Watchdog: a modem call still unanswered after this long is aborted and the "
                   "modem reopened (a hung USB stick); a send gets 3x as long. 0: off.")
@click.pass_obj
def run(obj, gammurcs: tuple[str, ...], smsd_url: str | None, smsd_phone: str, section: int,
        until_idle: bool, poll: float, quiet_hours: str | None, send_rate: int | None,
        promos_per_day: int | None, no_scheduler: bool, give_up: int, delivery_reports: bool,
        modem_timeout: float) -> None:
    """The daemon: answer SMS on one or more modems until stopped (SIGTERM/SIGINT finish
    the message in hand, then exit 0). A modem that cannot be opened, or fails later, is
    reopened with backoff (1 s, 2 s ... 60 s); the daemon does not exit on its own. Several
    daemons may share one PostgreSQL database."""
    from smsbot.messages.send_settings import Settings
    from smsbot.modem.daemon import ModemUnavailable
    from smsbot.modem.pool import Pool
    from smsbot.modem.transport.gammu_modem import GammuTransport
    from smsbot.search import live as search_index

    try:
        settings = Settings.from_env(quiet_hours=quiet_hours, send_rate=send_rate,
                                     promos_per_day=promos_per_day)
    except ValueError as exc:
        raise click.UsageError(str(exc))
    if not logging.getLogger().isEnabledFor(logging.INFO) and not until_idle:
        logging.getLogger().setLevel(logging.INFO)
    if bool(gammurcs) == bool(smsd_url):
        raise click.UsageError("give --modem GAMMURC (one or more) or --smsd DB_URL")
    if smsd_url:
        from smsbot.modem.transport.smsd_sql import SmsdSqlTransport

        transports = [SmsdSqlTransport(smsd_url, obj.engine, phone=smsd_phone,
                                       delivery_reports=delivery_reports,
                                       quiet_hours=settings.quiet_hours)]
    else:
        transports = [GammuTransport(gammurc, section=section, delivery_reports=delivery_reports,
                                     call_timeout=modem_timeout or None)
                      for gammurc in gammurcs]
    try:
        pool = Pool(obj.engine, transports, poll_interval=poll, settings=settings,
                    max_connect_failures=give_up)
    except ValueError as exc:
        click.echo(f"smsbot run: {exc}", err=True)
        sys.exit(1)
    search_index.load_later(obj.engine)  # read while the modems open, not at the first CARI
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


@click.group("phone")
def phone() -> None:
    """Act as a phone on the network (dummy modem or emulator only): for the demo and tests."""


@phone.command("send")
@click.option("--modem", "gammurc", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gammu config of a dummy modem or of `smsbot modem emulate DIR --init`.")
@click.option("--from", "sender", default=None, help="The sender's number (or an ID).")
@click.option("--pdu", "pdus", multiple=True, metavar="HEX",
              help="A raw PDU exactly as a modem lists it (hex with the SMSC prefix): an "
                   "SMS-DELIVER, a status report, a binary SMS... Repeat for several.")
@click.argument("text", required=False)
def phone_send(gammurc: str, sender: str | None, pdus: tuple[str, ...], text: str | None) -> None:
    """Put an incoming SMS into a test modem: `--from PHONE TEXT` (long texts arrive as a
    real multipart SMS) or `--pdu HEX [--pdu HEX ...]`."""
    from smsbot.modem import inject
    from smsbot.modem.transport import TransportError

    if pdus and (sender or text):
        raise click.UsageError("give either --pdu HEX ... or --from PHONE TEXT, not both")
    if not pdus and (sender is None or text is None):
        raise click.UsageError("give --from PHONE and TEXT (or --pdu HEX)")
    try:
        if pdus:
            count = inject.deliver_pdus(gammurc, list(pdus))
            click.echo(f"queued on the modem: {count} PDU(s)")
            return
        parts = inject.deliver_text(gammurc, sender, text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--pdu")
    except TransportError as exc:
        click.echo(f"smsbot phone send: {exc}", err=True)
        sys.exit(1)
    click.echo(f"queued on the modem: 1 SMS from {sender} in {parts} part(s)")


@click.group("modem")
def modem() -> None:
    """Look at the GSM modem (identity, signal, network, SMS memory, balance)."""


@modem.command("status")
@click.option("--modem", "gammurc", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gammu config file (see modem_config/).")
@click.option("--section", default=0, show_default=True, help="Section of the gammurc to use.")
@click.option("--ussd", default=None, metavar="CODE",
              help="Ask the operator's balance by USSD, e.g. '*888#' (Telkomsel; varies).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of lines.")
def status(gammurc: str, section: int, ussd: str | None, as_json: bool) -> None:
    """Manufacturer, model, IMEI, signal, network, SMS memory use and (with --ussd) the
    prepaid balance. Stop the daemon first on a real modem: the serial port is exclusive."""
    from smsbot.modem.transport import TransportError
    from smsbot.modem.transport.gammu_modem import GammuTransport

    transport = GammuTransport(gammurc, section=section)
    try:
        info = transport.open().status(ussd=ussd)
    except TransportError as exc:
        click.echo(f"smsbot modem status: {exc}", err=True)
        sys.exit(1)
    finally:
        transport.close()
    if as_json:
        click.echo(json.dumps(info, default=str))
        return
    for line in describe(info):
        click.echo(line)


def describe(info: dict) -> list[str]:
    signal = info.get("signal")
    network = info.get("network")
    memory = info.get("sms_memory")
    lines = [
        f"manufacturer: {info.get('manufacturer', '?')}",
        f"model:        {info.get('model', '?')} (firmware {info.get('firmware', '?')})",
        f"IMEI:         {info.get('imei', '?')}",
    ]
    if isinstance(signal, dict):
        lines.append(f"signal:       {signal.get('SignalPercent', '?')}% "
                     f"(strength {signal.get('SignalStrength', '?')} dBm, "
                     f"bit errors {signal.get('BitErrorRate', '?')}%)")
    else:
        lines.append(f"signal:       {signal}")
    if isinstance(network, dict):
        lines.append(f"network:      {network.get('NetworkName') or '?'} "
                     f"({network.get('NetworkCode', '?')}), {network.get('State', '?')}, "
                     f"GPRS {network.get('GPRS', '?')}")
    else:
        lines.append(f"network:      {network}")
    if isinstance(memory, dict):
        lines.append(f"SMS memory:   SIM {memory.get('SIMUsed', 0)}/{memory.get('SIMSize', 0)}, "
                     f"phone {memory.get('PhoneUsed', 0)}/{memory.get('PhoneSize', 0)} "
                     f"({memory.get('SIMUnRead', 0) + memory.get('PhoneUnRead', 0)} unread)")
    else:
        lines.append(f"SMS memory:   {memory}")
    if "ussd" in info:
        lines.append(f"balance:      {info['ussd']}")
    return lines


modem.add_command(emulate)
