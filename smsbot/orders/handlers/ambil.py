"""AMBIL: the order awaiting YA will be picked up at the shop (the default)."""

from __future__ import annotations

from smsbot.orders.steps import money, open_draft
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    order = open_draft(ctx)
    if order is None:
        return
    order.delivery, order.address = "ambil", ""
    ctx.session.add(order)
    ctx.say("done", code=order.code, total=money(order.total_idr))
