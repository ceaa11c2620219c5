"""SETUJU <id>: the admin approves a seller's promo broadcast; it goes out from now."""

from __future__ import annotations

from smsbot.broadcasts import runs as broadcasts
from smsbot.broadcasts.models import Broadcast
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    if ctx.contact.role != "admin":
        ctx.say("admin_only")
        return
    if not cmd.args or not cmd.args[0].lstrip("#").isdigit():
        ctx.say("usage")
        return
    number = int(cmd.args[0].lstrip("#"))
    broadcast = ctx.session.get(Broadcast, number)
    if broadcast is None or not broadcasts.approve(ctx.session, broadcast, ctx.now):
        ctx.say("unknown", id=number)
        return
    ctx.say("done", id=number, count=broadcasts.count_recipients(ctx.session, broadcast.target))
    if broadcast.created_by.startswith("+") and broadcast.created_by != ctx.sender:
        ctx.notify(broadcast.created_by, ctx.t("to_seller", id=number))
