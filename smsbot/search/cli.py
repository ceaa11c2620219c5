"""`smsbot report searches`: what buyers looked for and nobody sells (demand for sellers);
added to the `report` group by smsbot/cli.py."""

from __future__ import annotations

from datetime import timedelta

import click
from sqlmodel import Session

from smsbot.clock import utcnow
from smsbot.search.misses import as_lines, unmet


@click.command("searches")
@click.option("--days", default=30, show_default=True, help="Only searches of the last N days.")
@click.option("--limit", default=20, show_default=True, help="How many lines.")
@click.option("--source", type=click.Choice(["sms", "web", "all"]), default="sms",
              show_default=True, help="Searches by SMS, on the website, or both.")
@click.pass_obj
def searches(obj, days: int, limit: int, source: str) -> None:
    """The most wanted things nobody sells: CARI searches that found nothing, grouped by
    their folded words, most asked first (times, different buyers, last asked)."""
    with Session(obj.engine) as session:
        rows = unmet(session, utcnow() - timedelta(days=days), limit,
                     None if source == "all" else source)
    if not rows:
        click.echo(f"no unanswered searches in the last {days} days")
        return
    click.echo("\n".join(as_lines(rows)))
