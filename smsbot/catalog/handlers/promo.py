"""PROMO <code> <discount%> <days>: a seller, from the shop's registered phone, puts a product
on promo at once and asks for a broadcast; the broadcast waits for the admin (SETUJU).
Who may is checked like STOK and HARGA (smsbot.orders.steps.seller_product)."""

from __future__ import annotations

from datetime import timedelta

from smsbot.broadcasts import runs as broadcasts
from smsbot.catalog.models import PromoPrice
from smsbot.catalog.prices import promo_price, short_price
from smsbot.catalog.promos import active_promo  # noqa: F401  (re-exported)
from smsbot.clock import local, to_db
from smsbot.contacts.directory import admin_phones, language_of
from smsbot.orders.steps import seller_product
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    found = seller_product(ctx, cmd, need_args=3, need="usage")
    if found is None:
        return
    product, shop = found
    try:
        percent, days = int(cmd.args[1].rstrip("%")), int(cmd.args[2])
    except ValueError:
        ctx.say("bad_numbers")
        return
    if not (1 <= percent <= 90 and 1 <= days <= 30):
        ctx.say("bad_numbers")
        return
    price = promo_price(product.price_idr, percent)
    ends = ctx.now + timedelta(days=days)
    values = dict(code=product.code, percent=percent, price=short_price(price),
                  until=local(ends).strftime("%d/%m"), shop=shop.name[:30], name=product.name[:40],
                  days=days)
    text = ctx.t("text", lang="id", **values)
    broadcast = broadcasts.create(ctx.session, text, ctx.now, ctx.now, created_by=ctx.sender,
                                  status="pending", shop_id=shop.id)
    ctx.session.add(PromoPrice(product_id=product.id, percent=percent, price_idr=price,
                               starts_at=to_db(ctx.now), ends_at=to_db(ends),
                               broadcast_id=broadcast.id, created_at=to_db(ctx.now)))
    ctx.say("done", id=broadcast.id, **values)
    for admin in admin_phones(ctx.session):
        ctx.notify(admin, ctx.t("to_admin", lang=language_of(ctx.session, admin), id=broadcast.id,
                                **values))


