"""`smsbot modem emulate DIR`: the click command (attach with `modem.add_command(emulate)`).

Fault flags are written into DIR/faults.json, because the emulator that Gammu starts (proxyat)
reads its faults from there, not from a command line.
"""
from __future__ import annotations

import click

from . import config, profiles, state as st


def _pairs(values, what):
    out = {}
    for value in values:
        key, sep, code = value.rpartition(":")
        if not sep or not code.isdigit():
            raise click.BadParameter(f"{value!r}: expected {what}:CODE")
        out[key] = int(code)
    return out


@click.command("emulate")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--init", "do_init", is_flag=True, help="Create DIR and DIR/gammurc (proxyat), then exit.")
@click.option("--model", type=click.Choice(sorted(profiles.PROFILES)), default=None,
              help="Which modem to be (default: the one DIR was made with, else generic).")
@click.option("--pty", "pty_mode", is_flag=True, help="Serve on a pseudo-terminal and print its path.")
@click.option("--sim-capacity", type=int, help="SIM storage size (default 30).")
@click.option("--fail-next", type=int, multiple=True, help="+CMS ERROR code for the next send (repeatable).")
@click.option("--fail-send", multiple=True, help="N:CODE - the Nth send attempt of DIR fails.")
@click.option("--fail-number", multiple=True, help="NUMBER:CODE - every send to NUMBER fails.")
@click.option("--read-error", type=int, help="+CME ERROR code on AT+CMGL/AT+CMGR.")
@click.option("--sim-full", is_flag=True, default=None, help="The SIM takes no more messages.")
@click.option("--hang", help="Stop answering at the first command starting so (* any, PDU = the SMS body).")
@click.option("--unplug", help="Exit at the first command starting so.")
@click.option("--answer-lost", type=click.Choice(["hang", "exit"]), help="Accept the next send, never answer.")
@click.option("--noise", multiple=True, help="Line put inside every answer, e.g. RING or ^RSSI:18.")
@click.option("--delay", type=float, help="Seconds before every answer.")
@click.option("--creg-lost", type=int, help="The next N AT+CREG? say not registered.")
@click.option("--status-report-after", type=float, help="Seconds until a requested status report arrives.")
@click.option("--ussd-mode", type=click.Choice(["gsm", "ucs2"]), help="How USSD answers are encoded.")
@click.option("--clear-faults", is_flag=True, help="Remove DIR/faults.json first.")
def emulate(directory, do_init, model, pty_mode, sim_capacity, fail_next, fail_send, fail_number,
            read_error, sim_full, hang, unplug, answer_lost, noise, delay, creg_lost,
            status_report_after, ussd_mode, clear_faults):
    """GSM modem emulator speaking AT, for testing Gammu's AT driver without hardware.

    With --init, write DIR/gammurc (point smsbot or gammu at it); Gammu then starts the emulator
    itself. Without it, serve on stdin/stdout, or on a pty with --pty.
    """
    from pathlib import Path
    directory = Path(directory)
    if clear_faults:
        (directory / st.FAULTS_FILE).unlink(missing_ok=True)
    changes = {
        "fail_next_sends": list(fail_next) or None,
        "send_errors": _pairs(fail_send, "N") or None,
        "number_errors": _pairs(fail_number, "NUMBER") or None,
        "read_error": read_error, "sim_full": sim_full, "hang": hang, "unplug": unplug,
        "answer_lost": answer_lost, "noise": list(noise) or None, "delay": delay,
        "creg_lost": creg_lost, "status_report_after": status_report_after, "ussd_mode": ussd_mode,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    if do_init:
        rc = config.init_dir(directory, model or "generic", sim_capacity)
        if changes:
            st.update_faults(directory, changes)
        click.echo(rc)
        return
    if changes:
        st.update_faults(directory, changes)
    if sim_capacity is not None:
        with st.transaction(directory) as s:
            s["sim_capacity"] = sim_capacity
    from .serve import serve
    raise SystemExit(serve(directory, model, pty_mode))
