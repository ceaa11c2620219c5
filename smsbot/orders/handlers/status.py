"""STATUS [code]: each sub-order's state. The buyer sees the whole order; a seller sees
its own shop's part of an order it received."""

from __future__ import annotations

from smsbot.orders import rules as orders, texts as order_texts
from smsbot.orders.steps import code_arg
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    if cmd.args:
        order = orders.find(ctx.session, code_arg(cmd))
        if order is not None and order.buyer_phone == ctx.sender:
            parts = orders.parts(ctx.session, order)
        elif order is not None and order.status != "draft":
            parts = orders.seller_parts(ctx.session, order, ctx.sender)
        else:
            parts = []
        if not parts:
            ctx.say("pesan.not_found", code=code_arg(cmd))
            return
    else:
        order = orders.latest_for_buyer(ctx.session, ctx.sender)
        if order is None:
            ctx.say("none")
            return
        parts = orders.parts(ctx.session, order)
    if orders.draft_expired(order, ctx.now):
        order.status = "expired"
        ctx.session.add(order)
    ctx.reply(order_texts.status_text(ctx.session, ctx.grammar, order, parts, ctx.lang))
