"""HAPUS <kode>: the shop's phone hides its own product from CARI, orders and the website.
The row stays (old orders and reports still name it); only the admin shows it again."""

from __future__ import annotations

from smsbot.catalog.changes import change_product
from smsbot.orders.steps import seller_product
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    found = seller_product(ctx, cmd, need_args=1)
    if found is None:
        return
    product = found[0]
    change_product(ctx.session, product, active=False)
    ctx.say("done", code=product.code, name=product.name[:30])
