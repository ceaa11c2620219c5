"""`smsbot modem status`: what the admin checks when SMS stop flowing."""

from __future__ import annotations

import json
import sys

import click


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
