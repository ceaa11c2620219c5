"""`smsbot report searches`: what buyers looked for and nobody sells (demand for sellers).

`report` is a click group so other areas can add their own reports
(`report.add_command(...)`)."""

from __future__ import annotations

from datetime import timedelta

import click
from sqlmodel import Session

from smsbot.clock import utcnow
from smsbot.search.misses import unmet


@click.group("report")
def report() -> None:
    """Reports for the admin."""


@report.command("searches")
@click.option("--days", default=30, show_default=True, help="Only searches of the last N days.")
@click.option("--limit", default=20, show_default=True, help="How many lines.")
@click.pass_obj
def searches(obj, days: int, limit: int) -> None:
    """The most wanted things nobody sells: CARI searches that found nothing, grouped by
    their folded words, most asked first (times, different buyers, last asked)."""
    with Session(obj.engine) as session:
        rows = unmet(session, utcnow() - timedelta(days=days), limit)
    if not rows:
        click.echo(f"no unanswered searches in the last {days} days")
        return
    click.echo(f"{'times':>5} {'buyers':>6}  {'last asked':16}  query")
    for query, times, buyers, last in rows:
        click.echo(f"{times:>5} {buyers:>6}  {last:%Y-%m-%d %H:%M}  {query}")
