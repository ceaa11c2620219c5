"""BALAS <ticket> <text>: the shop, the admin or the buyer answers a complaint."""

from __future__ import annotations

from smsbot.crm import tickets as complaints
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    if not cmd.args:
        ctx.say("need")
        return
    code = cmd.args[0].upper()
    text = cmd.rest[len(cmd.args[0]):].lstrip(" #*.:,")
    ticket = complaints.find_ticket(ctx.session, code)
    role = complaints.role_in(ctx.session, ticket, ctx.sender) if ticket else None
    if role is None:
        ctx.say("unknown", ticket=code[:12])
        return
    if ticket.status == "closed":
        ctx.say("closed", ticket=ticket.code)
        return
    if not text:
        ctx.say("need")
        return
    complaints.relay(ctx, ticket, role, text)
    ctx.say("sent", ticket=ticket.code)
