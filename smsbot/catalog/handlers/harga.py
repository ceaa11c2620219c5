"""HARGA <code> <price>: the shop's phone sets its own product's price
(`25000`, `25.000`, `Rp25.000`, `25rb`, `25k`, `1,5jt`)."""

from __future__ import annotations

from smsbot.catalog.changes import change_product
from smsbot.catalog.prices import MAX_PRICE, MIN_PRICE, parse_price, short_price
from smsbot.orders.steps import seller_product
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    found = seller_product(ctx, cmd)
    if found is None:
        return
    product = found[0]
    price = parse_price("".join(cmd.args[1:]))
    if price is None or not MIN_PRICE <= price <= MAX_PRICE:
        ctx.say("bad", code=product.code)
        return
    old = product.price_idr
    change_product(ctx.session, product, price_idr=price)
    ctx.say("done", code=product.code, name=product.name[:30], price=short_price(price),
            old=short_price(old))
