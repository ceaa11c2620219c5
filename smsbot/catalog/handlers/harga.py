"""HARGA <code> <price>: the shop's phone sets its own product's price
(`25000`, `25.000`, `Rp25.000`, `25rb`, `25k`, `1,5jt`)."""

from __future__ import annotations

import re

from smsbot.catalog.changes import change_product
from smsbot.catalog.prices import short_price
from smsbot.orders.steps import seller_product
from smsbot.sms.command import Command
from smsbot.sms.context import Context

MIN_PRICE, MAX_PRICE = 100, 10_000_000
_PRICE = re.compile(r"^(?:rp\.?)?(\d{1,3}(?:\.\d{3})+|\d{1,9})(?:,(\d{1,3}))?(rb|ribu|k|jt|juta)?$")


def parse_price(text: str) -> int | None:
    match = _PRICE.match(text.lower())
    if not match:
        return None
    whole, fraction, unit = match.groups()
    scale = {"rb": 1000, "ribu": 1000, "k": 1000, "jt": 10**6, "juta": 10**6}.get(unit or "", 1)
    if fraction and scale == 1:
        return None  # 25000,50: cents are not a thing here
    value = int(whole.replace(".", "")) * scale
    if fraction:
        value += int(fraction) * scale // 10 ** len(fraction)
    return value


def handle(ctx: Context, cmd: Command) -> None:
    product = seller_product(ctx, cmd)
    if product is None:
        return
    price = parse_price("".join(cmd.args[1:]))
    if price is None or not MIN_PRICE <= price <= MAX_PRICE:
        ctx.say("bad", code=product.code)
        return
    old = product.price_idr
    change_product(ctx.session, product, price_idr=price)
    ctx.say("done", code=product.code, name=product.name[:30], price=short_price(price),
            old=short_price(old))
