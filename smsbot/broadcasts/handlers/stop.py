"""STOP / BERHENTI / UNREG: no more promos, including any already queued for this phone.
Replies to the sender's own messages and order notices are not promos and keep working."""

from __future__ import annotations

from smsbot.broadcasts import runs as broadcasts
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    ctx.contact.promo_opt_in = False
    ctx.session.add(ctx.contact)
    broadcasts.skip_queued_for(ctx.session, ctx.sender)
    ctx.say("done")
