"""NILAI <order code> <1-5> [comment]: the buyer rates a finished order, once per shop."""

from __future__ import annotations

from smsbot.catalog.models import Shop
from smsbot.contacts.directory import language_of
from smsbot.crm import reviews
from smsbot.messages.gsm7 import ONE_SMS, fit
from smsbot.orders import rules as orders
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    if len(cmd.args) < 2 or cmd.args[1].lstrip("*") not in {"1", "2", "3", "4", "5"}:
        ctx.say("need")
        return
    code = cmd.args[0].upper()
    order = orders.find(ctx.session, code)
    if order is None or order.buyer_phone != ctx.sender:
        ctx.say("unknown", code=code[:12])
        return
    stars = int(cmd.args[1].lstrip("*"))
    rest = cmd.rest[len(cmd.args[0]):].lstrip(" #*.:,")
    comment = rest[len(cmd.args[1]):].lstrip(" #*.:,")[:300]
    outcome, rated = reviews.rate_order(ctx.session, order, stars, comment, ctx.now)
    if outcome != "ok":
        ctx.say(outcome, code=order.code)
        return
    shops = [ctx.session.get(Shop, sub.shop_id) for sub in rated]
    ctx.say("thanks", stars=stars, code=order.code, shops=", ".join(s.name for s in shops)[:60])
    for shop in shops:
        lang = language_of(ctx.session, shop.phone)
        ctx.notify(shop.phone, fit(lambda t: ctx.grammar.render(
            "nilai.to_shop", lang, code=order.code, stars=stars, comment=t).rstrip(), comment, ONE_SMS))
