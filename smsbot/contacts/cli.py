"""`smsbot security`: the security log for the admin (failed PINs, wrong phones, floods,
cut reply loops) and the operator SMS that were kept but not answered."""

from __future__ import annotations

import click
from sqlmodel import Session, col, select

from smsbot.clock import local
from smsbot.messages.models import InboundMessage


@click.command("security")
@click.option("--kind", default=None,
              help="Only this kind: pin_failed, pin_locked, not_allowed, rate_limited, loop_guard.")
@click.option("--limit", default=50, show_default=True, help="Newest N events.")
@click.option("--ignored", is_flag=True,
              help="List SMS from operator IDs and short codes (kept, never answered) instead.")
@click.pass_obj
def security(obj, kind: str | None, limit: int, ignored: bool) -> None:
    """Newest first, times in WIB."""
    from smsbot.contacts import security_log

    with Session(obj.engine) as session:
        if ignored:
            rows = session.exec(select(InboundMessage).where(InboundMessage.status == "ignored")
                                .order_by(col(InboundMessage.id).desc()).limit(limit)).all()
            for row in rows:
                click.echo(f"{local(row.received_at):%Y-%m-%d %H:%M} {row.sender:16} "
                           f"{row.text[:100]!r}")
            return
        for event in security_log.recent(session, limit, kind):
            click.echo(f"{local(event.at):%Y-%m-%d %H:%M} {event.phone:16} {event.kind:12} "
                       f"{event.detail}")
