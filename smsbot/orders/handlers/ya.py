"""YA [code]: the buyer confirms; each shop's phone gets its sub-order. A seller's YA after
TAMBAH publishes the new product instead (whichever of the two came last)."""

from __future__ import annotations

from smsbot.catalog.handlers import tambah
from smsbot.contacts.directory import language_of
from smsbot.orders import rules as orders, texts as order_texts
from smsbot.orders.models import Order
from smsbot.orders.steps import buyer_order, draft_order, say_problem
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    if not cmd.args and tambah.waiting(ctx):
        draft = draft_order(ctx)
        newer = draft.created_at if draft is not None and draft.status == Order.DRAFT else None
        if tambah.confirm(ctx, newer_than=newer):
            return
    order = buyer_order(ctx, cmd)
    if order is None:
        return
    problem = orders.confirm(ctx.session, order, ctx.now)
    if problem:
        say_problem(ctx, problem)
        return
    parts = orders.parts(ctx.session, order)
    for sub, shop in parts:
        lang = language_of(ctx.session, shop.phone)
        ctx.notify(shop.phone, order_texts.seller_notice(ctx.session, ctx.grammar, order, sub, lang),
                   "notice")
    shops = parts[0][1].name[:30] if len(parts) == 1 else ctx.t("shops", count=len(parts))
    ctx.say("confirmed", code=order.code, shops=shops)
