"""STOK <code> <n>: the shop's phone sets its own product's stock."""

from __future__ import annotations

from smsbot.catalog.changes import change_product
from smsbot.orders.steps import seller_product
from smsbot.sms.command import Command
from smsbot.sms.context import Context

MAX_STOCK = 99_999


def handle(ctx: Context, cmd: Command) -> None:
    found = seller_product(ctx, cmd)
    if found is None:
        return
    product = found[0]
    text = cmd.args[1]
    if not (text.isdigit() and len(text) <= 5) or int(text) > MAX_STOCK:
        ctx.say("bad", code=product.code)
        return
    old = product.stock
    change_product(ctx.session, product, stock=int(text))
    ctx.say("done", code=product.code, name=product.name[:30], stock=product.stock, old=old)
