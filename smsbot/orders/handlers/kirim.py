"""KIRIM <code>: the shop has shipped its sub-order (or it is ready for pick-up)."""

from __future__ import annotations

from smsbot.catalog.models import Shop
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, SubOrder
from smsbot.orders.steps import seller_step, tell_buyer, where
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    seller_step(ctx, cmd, ("accepted",), _ship)


def _ship(ctx: Context, order: Order, sub: SubOrder, shop: Shop) -> bool:
    orders.ship(ctx.session, sub, ctx.now)
    key = "kirim.buyer_deliver" if order.delivery == "antar" else "kirim.buyer_pickup"
    tell_buyer(ctx, order, key, shop=shop.name[:30], address=where(ctx, order, shop)[:60])
    return True
