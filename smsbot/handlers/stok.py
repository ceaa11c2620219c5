"""STOK <code> <n>: the shop's phone sets its own product's stock."""

from __future__ import annotations

from .. import orders
from ..context import Context
from ..order_steps import say_problem
from ..router import Command

MAX_STOCK = 99_999


def handle(ctx: Context, cmd: Command) -> None:
    if not orders.is_seller(ctx.session, ctx.sender):
        ctx.say("pesan.not_seller", keyword=cmd.name)
        return
    if len(cmd.args) < 2:
        ctx.say("need")
        return
    found = orders.own_product(ctx.session, ctx.sender, cmd.args[0])
    if isinstance(found, orders.Problem):
        say_problem(ctx, found, keyword=cmd.name)
        return
    product, _shop = found
    text = cmd.args[1]
    if not (text.isdigit() and len(text) <= 5) or int(text) > MAX_STOCK:
        ctx.say("bad", code=product.code)
        return
    old, product.stock = product.stock, int(text)
    ctx.session.add(product)
    ctx.say("done", code=product.code, name=product.name[:30], stock=product.stock, old=old)
