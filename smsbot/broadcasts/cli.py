"""`smsbot broadcast add/list/cancel/status/approve`: promo broadcasts from the command line.

`add` only writes a Broadcast row; the running daemon (its timer or its APScheduler job)
expands it into outbox rows when it comes due, and the sender throttles it.
"""

from __future__ import annotations

import sys
import time

import click
from sqlmodel import Session, select

from smsbot.broadcasts import runs as broadcasts
from smsbot.broadcasts.models import Broadcast
from smsbot.broadcasts.when import show
from smsbot.clock import parse_iso, utcnow
from smsbot.messages import outbox
from smsbot.messages.delivery import delivered_share

# "unknown": the modem call failed after the SMS may have gone out; never sent again
STATUSES = ("queued", "sending", "sent", "unknown", "failed", "skipped", "cancelled")


@click.group("broadcast")
def broadcast() -> None:
    """Scheduled messages to many contacts (only to contacts who opted in with DAFTAR)."""


@broadcast.command("add")
@click.option("--at", "at", default=None, metavar="ISO-8601",
              help="When (local time if no zone, e.g. 2026-12-01T09:00). Default: now.")
@click.option("--every", default="", metavar="CRON",
              help='Repeat: a 5-field cron in local time, e.g. "0 9 * * 1" (Mondays 09:00).')
@click.option("--to", "target", default="all", show_default=True,
              help="all | kelurahan:NAME | kecamatan:NAME | follows:WORD | shop:CODE")
@click.argument("text", nargs=-1, required=True)
@click.pass_obj
def add(obj, at: str | None, every: str, target: str, text: tuple[str, ...]) -> None:
    """Schedule TEXT (an opt-out footer is added to every message)."""
    now = utcnow()
    try:
        moment = parse_iso(at) if at else now
    except ValueError:
        raise click.BadParameter(f"{at!r} is not ISO-8601 (e.g. 2026-12-01T09:00)", param_hint="--at")
    with Session(obj.engine, expire_on_commit=False) as session:
        try:
            item = broadcasts.create(session, " ".join(text), moment, now, every=every,
                                     target=target, created_by="cli")
        except broadcasts.BroadcastError as exc:
            click.echo(f"smsbot broadcast add: {exc}", err=True)
            sys.exit(2)
        count = broadcasts.count_recipients(session, item.target)
        session.commit()
    segments = outbox.segments(broadcasts.texts_for(item.text)["id"])
    click.echo(f"broadcast #{item.id} at {show(item.first_at)}"
               f"{' every ' + every if every else ''} to {item.target}: {count} contacts now, "
               f"{segments} SMS each")


@broadcast.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also finished and cancelled ones.")
@click.pass_obj
def list_(obj, show_all: bool) -> None:
    """Broadcasts: id, status, next run, target, runs, delivered % (of the SMS with a
    delivery report; '-' without reports: `smsbot run --delivery-reports`), text."""
    with Session(obj.engine) as session:
        query = select(Broadcast).order_by(Broadcast.id)
        if not show_all:
            query = query.where(Broadcast.status.in_(("pending", "scheduled")))
        items = session.exec(query).all()
        share = delivered_share(session, [item.id for item in items])
        for item in items:
            progress = broadcasts.progress(session, item.id)
            queued = progress.get("queued", 0) + progress.get("sending", 0)
            status = "running" if item.status != "cancelled" and queued else item.status
            nxt = show(item.next_run_at) if item.next_run_at else "-"
            delivered, reported = share.get(item.id, (0, 0))
            rate = f"{100 * delivered // reported}%" if reported else "-"
            click.echo(f"#{item.id:<4} {status:9} {nxt:11} {item.target:22} runs {item.runs:<3} "
                       f"delivered {rate:4} {item.every or 'once':12} {item.text[:50]}")


@broadcast.command("cancel")
@click.argument("number", type=int)
@click.pass_obj
def cancel(obj, number: int) -> None:
    """Stop a broadcast: no further runs, and queued messages are not sent."""
    with Session(obj.engine) as session:
        item = session.get(Broadcast, number)
        if item is None:
            click.echo(f"smsbot broadcast cancel: no broadcast #{number}", err=True)
            sys.exit(1)
        dropped = broadcasts.cancel(session, item, utcnow())
        session.commit()
    click.echo(f"broadcast #{number} cancelled; {dropped} queued messages dropped")


@broadcast.command("approve")
@click.argument("number", type=int)
@click.option("--to", "target", default=None, help="Change the target before it goes out.")
@click.pass_obj
def approve(obj, number: int, target: str | None) -> None:
    """Approve a seller's promo broadcast (PROMO by SMS); it goes out from now."""
    with Session(obj.engine) as session:
        item = session.get(Broadcast, number)
        try:
            ok = item is not None and broadcasts.approve(session, item, utcnow(), target)
        except broadcasts.BroadcastError as exc:
            click.echo(f"smsbot broadcast approve: {exc}", err=True)
            sys.exit(2)
        if not ok:
            click.echo(f"smsbot broadcast approve: #{number} is not awaiting approval", err=True)
            sys.exit(1)
        count = broadcasts.count_recipients(session, item.target)
        session.commit()
    click.echo(f"broadcast #{number} approved: {count} contacts")


@broadcast.command("status")
@click.argument("number", type=int)
@click.option("--watch", is_flag=True, help="Show a progress bar until nothing is queued.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between updates.")
@click.pass_obj
def status(obj, number: int, watch: bool, interval: float) -> None:
    """Queued / sent / failed counts of one broadcast (all runs)."""
    while True:
        with Session(obj.engine) as session:
            item = session.get(Broadcast, number)
            if item is None:
                click.echo(f"smsbot broadcast status: no broadcast #{number}", err=True)
                sys.exit(1)
            counts = broadcasts.progress(session, number)
        line = status_line(item, counts)
        pending = counts.get("queued", 0) + counts.get("sending", 0)
        if not watch or not pending:
            click.echo(line)
            return
        click.echo("\r" + line, nl=False)
        time.sleep(interval)


def status_line(item: Broadcast, counts: dict[str, int], width: int = 30) -> str:
    total = sum(counts.values())
    done = total - counts.get("queued", 0) - counts.get("sending", 0)
    filled = int(width * done / total) if total else 0
    bar = "#" * filled + "-" * (width - filled)
    figures = " ".join(f"{name} {counts.get(name, 0)}" for name in STATUSES)
    nxt = f" next {show(item.next_run_at)}" if item.next_run_at else ""
    return f"#{item.id} {item.status} [{bar}] {done}/{total} {figures} runs {item.runs}{nxt}"
