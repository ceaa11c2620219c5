"""INFO <shop code or name> (TOKO): what a buyer needs to reach one shop: its phone, full
address, hours and whether it is open now, its rating, its best sellers with their codes
(for PESAN) and its page on the website (the map). The shop is found by its code, by a
product code, or by its name, forgiving spelling slips (smsbot.search.shop_names): "uni
emi" is enough. Several shops fitting the name equally get a list of codes to choose from."""

from __future__ import annotations

import os

import numpy as np
from sqlalchemy import func
from sqlmodel import col, select

from smsbot.catalog.models import Shop
from smsbot.catalog.prices import short_price
from smsbot.catalog.promos import cached_active_prices
from smsbot.contacts.phones import local_form
from smsbot.crm.reviews import cached_shop_ratings
from smsbot.orders.models import Order, OrderItem, SubOrder
from smsbot.search import live as search_index, shop_names
from smsbot.search.handlers.cari import SMS_LIMIT
from smsbot.search.nearby import is_open
from smsbot.sms.command import Command
from smsbot.sms.context import Context

PRODUCTS = 3
LISTED = 3  # shops named in the "which one?" reply
SITE_ENV = "SMSBOT_SITE_URL"  # the website's address as buyers type it, e.g. umkm.payakumbuh.go.id
SHOP_PAGE = "/toko/{code}"  # the website's shop page (smsbot.web.public, route "shop")


def handle(ctx: Context, cmd: Command) -> None:
    text = cmd.rest.strip()
    if not text:
        ctx.say("need")
        return
    index = search_index.load(ctx.session)
    shops = find_shops(index, text)
    if not shops:
        ctx.say("none", name=text[:30])
    elif len(shops) > 1:
        listed = [f"{index.shop_codes[s]} {index.shop_names[s]}" for s in shops[:LISTED]]
        ctx.say("many", count=len(shops), list=", ".join(listed), first=index.shop_codes[shops[0]])
    else:
        ctx.reply(card(ctx, index, shops[0]))


def find_shops(index, text: str) -> list[int]:
    """Index positions of the shops `text` names: a shop code, a product code (its shop),
    else the name (one position when it is clear which shop)."""
    word = text.split()[0].upper() if len(text.split()) == 1 else ""
    if word:
        shop = index.shop_at(word)
        if shop is not None:
            return [shop]
        if word in index.by_code:
            return [int(index.shop[index.by_code[word]])]
    return [m.shop for m in shop_names.find(index, text)]


def card(ctx: Context, index, position: int) -> str:
    """The shop's SMS in one segment: the first of FITS that fits, from everything (three
    products, the address with its kelurahan) down to one product with a short name. When
    not even that fits, one segment is lost anyway: then everything goes, in two."""
    shop = ctx.session.get(Shop, index.shop_ids[position])
    products, sold = best_sellers(ctx, index, position)
    rating = cached_shop_ratings(ctx.session, [shop.id]).get(shop.id)
    status = is_open(shop.hours, ctx.now)
    site = os.environ.get(SITE_ENV, "").strip().rstrip("/")
    values = {
        "name": shop.name, "code": shop.code, "phone": local_form(shop.phone),
        "hours": (ctx.t("no_hours") if status is None
                  else ctx.t("open" if status else "closed", hours=shop.hours)),
        "rating": ctx.t("rating", stars=f"{rating:.1f}") if rating is not None else "",
        "link": ctx.t("link", url=site + SHOP_PAGE.format(code=shop.code)) if site else "",
    }
    full_address = ", ".join(p for p in (shop.address, shop.kelurahan) if p)
    short_address = shop.address or full_address
    for shown, address, width in FITS:
        listed = ", ".join(f"{code} {_within(name, width) if width else name} {short_price(price)}"
                           for code, name, price in products[:shown])
        text = ctx.t("shop", address=full_address if address else short_address,
                     products=ctx.t("products" if sold else "products_unsold", list=listed)
                     if listed else "", **values)
        if len(text) <= SMS_LIMIT:
            return text
    listed = ", ".join(f"{code} {name} {short_price(price)}" for code, name, price in products)
    return ctx.t("shop", address=full_address,
                 products=ctx.t("products" if sold else "products_unsold", list=listed)
                 if listed else "", **values)


# (products shown, with the kelurahan, product names cut to): the card's forms, best first
FITS = [(3, True, 0), (3, True, 14), (2, True, 0), (2, False, 0), (2, True, 14), (2, False, 14),
        (1, True, 0), (1, False, 0), (1, True, 14), (1, False, 14), (1, False, 1)]


def _within(name: str, width: int) -> str:
    """The first whole words of `name` that fit in `width` (at least one): `Rendang Daging`."""
    words = name.split()
    kept = words[:1]
    for word in words[1:]:
        if len(" ".join(kept + [word])) > width:
            break
        kept.append(word)
    return " ".join(kept)


def best_sellers(ctx: Context, index, position: int) -> tuple[list[tuple[str, str, int]], bool]:
    """(code, name, price) of the shop's products, most sold first (quantities of confirmed
    orders the shop did not refuse or cancel), then in stock and cheaper (the index order);
    and whether the first of them sold at all."""
    mine = np.flatnonzero(index.shop == position).tolist()  # already in stock, cheaper first
    if not mine:
        return [], False
    sold = dict(ctx.session.exec(
        select(OrderItem.product_code, func.sum(OrderItem.qty))
        .join(SubOrder, SubOrder.id == OrderItem.suborder_id)
        .join(Order, Order.id == SubOrder.order_id)
        .where(SubOrder.shop_id == index.shop_ids[position], Order.status == Order.CONFIRMED,
               col(SubOrder.status).not_in(SubOrder.ENDED_UNSOLD))
        .group_by(OrderItem.product_code)).all())
    ranked = sorted(mine, key=lambda p: -int(sold.get(index.codes[p], 0)))[:PRODUCTS]  # stable
    promos = cached_active_prices(ctx.session, [index.codes[p] for p in ranked], ctx.now)
    return [(index.codes[p], index.names[p],
             min(int(index.price[p]), promos.get(index.codes[p].upper(), int(index.price[p]))))
            for p in ranked], bool(sold.get(index.codes[ranked[0]]))
