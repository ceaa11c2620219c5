"""BATAL <code>: the buyer cancels every sub-order no seller has shipped yet."""

from __future__ import annotations

from smsbot.contacts.phones import local_form
from smsbot.orders import rules as orders
from smsbot.orders.steps import buyer_order, state_label, tell_shop
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    order = buyer_order(ctx, cmd)
    if order is None:
        return
    if orders.draft_expired(order, ctx.now):
        order.status = "expired"
        ctx.session.add(order)
    if order.status in ("cancelled", "expired"):
        ctx.say("nothing", code=order.code, state=state_label(ctx, order))
        return
    if order.status == "draft":
        orders.cancel(ctx.session, order, ctx.now)
        ctx.say("draft", code=order.code)
        return
    cancelled, kept = orders.cancel(ctx.session, order, ctx.now)
    for _sub, shop, was in cancelled:
        tell_shop(ctx, shop, "seller_restock" if was == "accepted" else "seller", code=order.code)
    if cancelled and kept:
        ctx.say("partial", code=order.code, cancelled=", ".join(s.name[:20] for _, s, _ in cancelled),
                kept=", ".join(s.name[:20] for _, s in kept))
    elif cancelled:
        ctx.say("done", code=order.code)
    elif kept:
        ctx.say("too_late", code=order.code,
                phones=", ".join(local_form(s.phone) for _, s in kept[:3]))
    else:
        parts = orders.parts(ctx.session, order)
        ctx.say("nothing", code=order.code, state=state_label(ctx, order, parts[0][0]))
