"""`smsbot chat` (the scripting contract's simulated phone), `smsbot demo` and `smsbot db seed`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from smsbot.clock import utcnow
from smsbot.sms import grammar as grammar_module
from smsbot.store import engine as db


@click.command("chat")
@click.pass_obj
def chat(obj) -> None:
    """Run JSON lines from stdin through the bot; one JSON line per outgoing SMS on stdout.

    Input: {"from": PHONE, "text": TEXT, "at": ISO-8601} (at optional; a line with only
    "at" advances the simulated clock). Output: {"to", "text", "segments", "encoding",
    "kind"}. State persists in the database between runs. Exit 2 if a line was unusable."""
    from smsbot.sim.chat import run_chat

    bad = run_chat(obj.engine, sys.stdin, sys.stdout, grammar_module.load())
    if bad:
        sys.exit(2)


@click.command("demo")
@click.option("--dir", "folder", default="var/demo", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the modem, its log and (without --db) the database.")
@click.option("--driver", type=click.Choice(["dummy", "at"]), default="dummy", show_default=True,
              help="dummy: Gammu's dummy driver; at: Gammu's AT driver on the modem emulator "
                   "(its sends land in DIR/sent.jsonl).")
@click.option("--script", is_flag=True, help="Play the scripted conversation even in a terminal.")
@click.option("--web-port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port of the website on 127.0.0.1 (0 = no website).")
@click.pass_context
def demo(ctx: click.Context, folder: Path, driver: str, script: bool, web_port: int) -> None:
    """Seed demo data, run the bot on a test modem and open a phone simulator (without a
    terminal: play a short scripted conversation and exit). The website runs beside it and
    its URL is printed."""
    from smsbot.sim.demo import run_demo

    obj = ctx.obj
    if ctx.find_root().params.get("db_url") is None:
        obj.url = db.resolve_url(str(folder / "smsbot.db"))
    sys.exit(run_demo(obj.engine, folder, interactive=sys.stdin.isatty() and not script,
                      web_port=web_port, driver=driver))


@click.command("seed")
@click.pass_obj
def seed(obj) -> None:
    """Load the Payakumbuh demo catalog, a demo admin (081200000001, PIN 1234) and buyer."""
    from smsbot.sim.seed import seed_demo

    reports = seed_demo(obj.engine, utcnow())
    for kind, report in reports.items():
        click.echo(f"{kind}: {report.created} added, {report.updated} updated")
