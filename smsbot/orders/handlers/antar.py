"""ANTAR <alamat>: the order awaiting YA will be delivered to that address."""

from __future__ import annotations

from smsbot.orders.steps import money, open_draft
from smsbot.sms.command import Command
from smsbot.sms.context import Context

MAX_ADDRESS = 80


def handle(ctx: Context, cmd: Command) -> None:
    address = " ".join(cmd.rest.split())
    if not address:
        ctx.say("need_address")
        return
    if len(address) > MAX_ADDRESS:
        ctx.say("too_long")
        return
    order = open_draft(ctx)
    if order is None:
        return
    order.delivery, order.address = "antar", address
    ctx.session.add(order)
    ctx.say("done", code=order.code, address=address, total=money(order.total_idr))
