"""SETUJU <PIN> <id>: the admin approves a seller's promo broadcast; it goes out from now.

Like SIARAN it reaches many people, so it takes the admin's PIN (smsbot.contacts.auth). The
old form without a PIN (`SETUJU 12`) is answered with the new one (`SETUJU <PIN> 12`).
"""

from __future__ import annotations

from smsbot.broadcasts import runs as broadcasts
from smsbot.broadcasts.models import Broadcast
from smsbot.contacts import auth
from smsbot.sms.command import Command
from smsbot.sms.context import Context

USAGE = "SETUJU <PIN> <nomor siaran>"


def handle(ctx: Context, cmd: Command) -> None:
    if len(cmd.args) == 1:  # the old form: the broadcast number, no PIN
        pin, usage = "", f"SETUJU <PIN> {cmd.args[0][:6]}"
    else:
        pin, usage = (cmd.args[0] if cmd.args else ""), USAGE
    if not auth.require_admin(ctx, cmd.name, pin, usage):
        return
    number = cmd.args[1]
    if not number.isdigit() or len(number) > 9:
        ctx.say("usage")
        return
    broadcast = ctx.session.get(Broadcast, int(number))
    if broadcast is None or not broadcasts.approve(ctx.session, broadcast, ctx.now):
        ctx.say("unknown", id=int(number))
        return
    ctx.say("done", id=broadcast.id,
            count=broadcasts.count_recipients(ctx.session, broadcast.target))
    if broadcast.created_by.startswith("+") and broadcast.created_by != ctx.sender:
        ctx.notify(broadcast.created_by, ctx.t("to_seller", id=broadcast.id))
