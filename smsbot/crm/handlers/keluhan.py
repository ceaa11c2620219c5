"""KELUHAN [order code] <text>: open a complaint ticket and tell the shop and the admin."""

from __future__ import annotations

from smsbot.catalog.models import Shop
from smsbot.crm import tickets as complaints
from smsbot.orders import rules as orders
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    text = cmd.rest.strip()
    order = None
    first = cmd.args[0] if cmd.args else ""
    if orders.looks_like_code(first):
        order = orders.find(ctx.session, first)
        if order is not None and order.buyer_phone != ctx.sender:
            order = None  # someone else's order: it does not exist for this sender
        if order is not None or any(c.isdigit() for c in first):
            if order is None:
                ctx.say("order_unknown", code=first.upper())
                return
            text = text[len(first):].lstrip(" #*.:,")
    if not text:
        ctx.say("need_text")
        return
    ticket = complaints.open_ticket(ctx, text, order)
    ctx.say("opened_shop" if ticket.shop_id else "opened_admin", ticket=ticket.code,
            shop=_shop_name(ctx, ticket))


def _shop_name(ctx: Context, ticket) -> str:
    shop = ctx.session.get(Shop, ticket.shop_id) if ticket.shop_id else None
    return shop.name if shop else ""
