"""TAMBAH <nama> <harga> [stok]: the shop's phone adds a product. It is echoed with its new
code and published by the seller's YA (within DRAFT_TTL): a typo in a price the seller never
sees again would otherwise go straight to every buyer's CARI."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from smsbot.catalog import new_products
from smsbot.catalog.changes import add_product
from smsbot.catalog.models import Shop
from smsbot.catalog.prices import short_price
from smsbot.clock import from_db, parse_iso
from smsbot.contacts import auth
from smsbot.sms import conversation as state
from smsbot.sms.command import Command
from smsbot.sms.context import Context

DRAFT_STATE = "product_draft"  # smsbot.sms.conversation key: the product awaiting YA
DRAFT_TTL = timedelta(minutes=30)


def handle(ctx: Context, cmd: Command) -> None:
    if not auth.require_seller(ctx, cmd.name):
        return
    state.clear(ctx.session, ctx.sender, DRAFT_STATE)  # a new TAMBAH replaces the one echoed
    if not cmd.args:
        ctx.say("need")
        return
    shop = _shop(ctx)
    draft = new_products.read(cmd.args)
    if draft.problem:
        ctx.say(draft.problem, name=draft.name[:30] or "Rendang Telur 250g",
                max=new_products.MAX_NAME)
        return
    same = new_products.same_name(ctx.session, shop, draft.name)
    if same is not None:
        ctx.say("exists", code=same.code, name=same.name[:30])
        return
    code, category = new_products.code_and_category(ctx.session, draft.name)
    state.put(ctx.session, ctx.sender, DRAFT_STATE,
              {"shop": shop.id, "name": draft.name, "price": draft.price, "stock": draft.stock,
               "code": code, "category": category, "at": ctx.now.isoformat()},
              ctx.now, ttl=DRAFT_TTL)
    ctx.say("confirm", code=code, name=draft.name, price=short_price(draft.price),
            stock=draft.stock)


def waiting(ctx: Context) -> bool:
    """A product of this sender awaits YA."""
    return state.get(ctx.session, ctx.sender, DRAFT_STATE, ctx.now) is not None


def confirm(ctx: Context, newer_than: datetime | None = None) -> bool:
    """YA from a seller with a product awaiting it (and no order draft made after it):
    publish it and say so. False when there is none, so YA goes on to orders."""
    data = state.get(ctx.session, ctx.sender, DRAFT_STATE, ctx.now)
    if data is None or (newer_than is not None and parse_iso(data["at"]) <= from_db(newer_than)):
        return False
    state.clear(ctx.session, ctx.sender, DRAFT_STATE)
    shop = ctx.session.get(Shop, data["shop"])
    if shop is None or shop.phone != ctx.sender:  # the shop's number changed meanwhile
        return False
    same = new_products.same_name(ctx.session, shop, data["name"])
    if same is not None:  # the admin's import got there first
        ctx.say("tambah.exists", code=same.code, name=same.name[:30])
        return True
    code = data["code"]
    if new_products.code_taken(ctx.session, code):  # another shop's TAMBAH took it meanwhile
        code, _category = new_products.code_and_category(ctx.session, data["name"])
    product = add_product(ctx.session, shop, code, data["name"], data["price"],
                          stock=data["stock"], category=data["category"])
    ctx.say("tambah.done", code=product.code, name=product.name[:30])
    return True


def _shop(ctx: Context) -> Shop:
    """The sender's shop (require_seller has checked there is one; the first if several)."""
    return ctx.session.exec(select(Shop).where(Shop.phone == ctx.sender).order_by(Shop.id)).first()
