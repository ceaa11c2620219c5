"""TERIMA <code>: the shop accepts its sub-order; its stock is taken now (all or none)."""

from __future__ import annotations

from smsbot.catalog.models import Shop
from smsbot.contacts.directory import language_of
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, SubOrder
from smsbot.orders.steps import money, payment_text, seller_step, tell_buyer, where
from smsbot.sms.command import Command
from smsbot.sms.context import Context
from smsbot.sms.handlers import fallback

# "terima kasih" (thank you) is the commonest SMS a buyer sends after an answer.
THANKS = {"kasih", "ksh", "kasi", "kaseh", "kasih.", "kasih!", "kasihh"}


def handle(ctx: Context, cmd: Command) -> None:
    if cmd.args and cmd.args[0].lower() in THANKS:
        fallback.handle(ctx, cmd)
        return
    seller_step(ctx, cmd, ("pending",), _accept)


def _accept(ctx: Context, order: Order, sub: SubOrder, shop: Shop) -> bool:
    problem = orders.accept(ctx.session, sub, ctx.now)
    if problem:
        ctx.say("short", code=order.code, product=problem.values["code"],
                stock=problem.values["stock"])
        return False
    place = ctx.t("buyer_deliver" if order.delivery == "antar" else "buyer_pickup",
                  lang=language_of(ctx.session, order.buyer_phone), address=where(ctx, order, shop)[:60])
    tell_buyer(ctx, order, "terima.buyer", shop=shop.name[:30], total=money(sub.total_idr),
               payment=payment_text(ctx, shop, order), where=place)
    return True
