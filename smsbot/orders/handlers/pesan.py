"""PESAN <code> <qty> [...]: a draft order (invoice) awaiting YA; nothing is reserved yet.
`PESAN 2 3` = item 2 of the sender's last CARI list, quantity 3."""

from __future__ import annotations

from smsbot.orders import rules as orders, texts as order_texts
from smsbot.orders.steps import say_problem
from smsbot.sms import conversation as state
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    last = state.get(ctx.session, ctx.sender, orders.LIST_STATE, ctx.now) or {}
    lines = orders.parse_items(ctx.session, cmd.args, last.get("codes"))
    if isinstance(lines, orders.Problem):
        say_problem(ctx, lines)
        return
    order = orders.create_draft(ctx.session, ctx.sender, lines, ctx.now)
    state.put(ctx.session, ctx.sender, orders.DRAFT_STATE, {"code": order.code}, ctx.now)
    ctx.reply(order_texts.invoice(ctx.session, ctx.grammar, order, ctx.lang))
