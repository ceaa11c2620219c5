"""The order keywords' shared flows over a Context: find the order the sender may act on,
run one step of smsbot.orders.rules, tell the other side. The handlers in smsbot/handlers/ are
thin wrappers around these.

Who may act: the buyer is `Order.buyer_phone`; a seller is any phone equal to the
`Shop.phone` of one of the order's sub-orders, and acts on those sub-orders only.
"""

from __future__ import annotations

from typing import Callable

from smsbot.catalog.lookup import product_by_code
from smsbot.catalog.models import Product, Shop
from smsbot.catalog.prices import short_price
from smsbot.contacts import auth
from smsbot.contacts.directory import language_of
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, SubOrder
from smsbot.sms import conversation as state
from smsbot.sms.command import Command
from smsbot.sms.context import Context

SellerAct = Callable[[Context, Order, SubOrder, Shop], bool]  # False: stop (already replied)


def say_problem(ctx: Context, problem: orders.Problem, **extra) -> None:
    ctx.say(problem.key if "." in problem.key else f"pesan.{problem.key}",
            **{**problem.values, **extra})


def seller_product(ctx: Context, cmd: Command, need_args: int = 2,
                   need: str = "need") -> tuple[Product, Shop] | None:
    """STOK/HARGA/PROMO `<code> <value>...` from a shop's phone: the shop's own product and
    the shop, or None after the reply that says what is wrong (not a seller, too few values:
    the `need` reply, no such product, not its product). Who may is smsbot.contacts.auth's."""
    if not auth.require_seller(ctx, cmd.name):
        return None
    if len(cmd.args) < need_args:
        ctx.say(need)
        return None
    found = product_by_code(ctx.session, cmd.args[0])
    if found is None:
        ctx.say("pesan.unknown_product", code=cmd.args[0].upper()[:12], keyword=cmd.name)
        return None
    product, shop = found
    if not auth.require_shop(ctx, shop, refusal="pesan.not_your_product", code=product.code):
        return None
    return product, shop


def code_arg(cmd: Command) -> str:
    return cmd.args[0].upper()[:12] if cmd.args else ""


def draft_order(ctx: Context) -> Order | None:
    data = state.get(ctx.session, ctx.sender, orders.DRAFT_STATE, ctx.now)
    return orders.find(ctx.session, data["code"]) if data else None


def buyer_order(ctx: Context, cmd: Command) -> Order | None:
    """`<KEYWORD> <code>`: the sender's own order; without a code: the order awaiting YA.
    Replies (and returns None) when there is none."""
    if cmd.args:
        order = orders.find(ctx.session, code_arg(cmd))
        if order is None or order.buyer_phone != ctx.sender:
            ctx.say("pesan.not_found", code=code_arg(cmd))
            return None
        return order
    order = draft_order(ctx)
    if order is None:
        ctx.say("pesan.no_draft")
    return order


def open_draft(ctx: Context) -> Order | None:
    """The order awaiting YA, for AMBIL/ANTAR; replies and returns None if there is none."""
    order = draft_order(ctx)
    if order is None:
        ctx.say("pesan.no_draft")
        return None
    if orders.draft_expired(order, ctx.now):
        order.status = Order.EXPIRED
        ctx.session.add(order)
    if order.status != Order.DRAFT:
        key = {"confirmed": "already_confirmed", "cancelled": "was_cancelled"}.get(
            order.status, "expired")
        ctx.say(f"pesan.{key}", code=order.code)
        return None
    return order


def state_label(ctx: Context, order: Order, sub: SubOrder | None = None) -> str:
    if sub is not None and order.status == Order.CONFIRMED:
        return ctx.t(f"status.sub_{sub.status}")
    return ctx.t(f"status.order_{order.status}")


def seller_step(ctx: Context, cmd: Command, allowed: tuple[str, ...], act: SellerAct) -> None:
    """TERIMA/TOLAK/KIRIM: only a shop's phone, only its own sub-orders, only from the
    `allowed` states. Without an order code (`TERIMA`, `TOLAK stok habis`: the first word is
    no order's code) it acts on the shop's one order waiting for this step, or lists them."""
    if not auth.require_seller(ctx, cmd.name):
        return
    order = seller_order(ctx, cmd, allowed)
    if order is None:
        return
    shops = [shop for _, shop in orders.parts(ctx.session, order)]
    if not auth.require_shop(ctx, *shops, refusal="pesan.not_yours", code=order.code):
        return
    mine = orders.seller_parts(ctx.session, order, ctx.sender)
    if order.status != Order.CONFIRMED:
        ctx.say("wrong_state", code=order.code, state=state_label(ctx, order))
        return
    todo = [(sub, shop) for sub, shop in mine if sub.status in allowed]
    if not todo:
        ctx.say("wrong_state", code=order.code, state=state_label(ctx, order, mine[0][0]))
        return
    for sub, shop in todo:
        if not act(ctx, order, sub, shop):
            return
    ctx.say("done", code=order.code)


MAX_LISTED = 6  # order codes in one "which one?" SMS


def seller_order(ctx: Context, cmd: Command, allowed: tuple[str, ...]) -> Order | None:
    """The order a seller's step names: its code (the first word, when it is an order's
    code or looks like one), else the shop's only order waiting in `allowed`. Replies and
    returns None when there is no such order or several."""
    code = code_arg(cmd)
    order = orders.find(ctx.session, code) if code else None
    if order is not None:
        return order
    if code and orders.looks_like_code(code) and any(c.isdigit() for c in code):
        ctx.say("pesan.not_found", code=code)
        return None
    waiting = orders.waiting_for_seller(ctx.session, ctx.sender, allowed)
    if len(waiting) == 1:
        return waiting[0]
    if not waiting:
        ctx.say("pesan.none_waiting", keyword=cmd.name)
    else:
        codes = ", ".join(o.code for o in waiting[:MAX_LISTED]) + (
            " ..." if len(waiting) > MAX_LISTED else "")
        ctx.say("pesan.several_waiting", keyword=cmd.name, count=len(waiting), codes=codes,
                first=waiting[0].code)
    return None


def named_code(cmd: Command, order: Order) -> bool:
    """Whether the seller typed `order`'s code as the first word (TOLAK's reason follows it)."""
    return code_arg(cmd) == order.code


def tell_buyer(ctx: Context, order: Order, key: str, **values) -> None:
    lang = language_of(ctx.session, order.buyer_phone)
    ctx.notify(order.buyer_phone, ctx.t(key, lang=lang, code=order.code, **values), "notice")


def tell_shop(ctx: Context, shop: Shop, key: str, **values) -> None:
    ctx.notify(shop.phone, ctx.t(key, lang=language_of(ctx.session, shop.phone), **values), "notice")


def where(ctx: Context, order: Order, shop: Shop) -> str:
    return order.address if order.delivery == "antar" else (shop.address or shop.name)


def finish(ctx: Context, code: str, cmd: Command) -> bool:
    """SELESAI <order code> (a FINISHER of smsbot/handlers/selesai.py): the seller, or the
    buyer, marks accepted/shipped sub-orders done. False when `code` is not an order."""
    if not orders.looks_like_code(code):
        return False
    order = orders.find(ctx.session, code)
    if order is None:
        return False
    shops = [shop for _, shop in orders.parts(ctx.session, order)]
    if order.buyer_phone != ctx.sender and not auth.require_shop(
            ctx, *shops, refusal="pesan.not_found", code=order.code):
        return True
    mine = orders.seller_parts(ctx.session, order, ctx.sender)
    buyer = not mine
    candidates = mine or orders.parts(ctx.session, order)
    todo = [(sub, shop) for sub, shop in candidates
            if sub.status in (SubOrder.ACCEPTED, SubOrder.SHIPPED)]
    if order.status != Order.CONFIRMED or not todo:
        ctx.say("kirim.finish_wrong", code=order.code,
                state=state_label(ctx, order, candidates[0][0] if candidates else None))
        return True
    for sub, shop in todo:
        orders.finish(ctx.session, sub, ctx.now)
        if buyer:
            tell_shop(ctx, shop, "kirim.finished_seller", code=order.code)
        else:
            tell_buyer(ctx, order, "kirim.finished_buyer", shop=shop.name[:30])
    ctx.say("kirim.finished", code=order.code)
    return True


def payment_text(ctx: Context, shop: Shop, order: Order) -> str:
    """The shop's payment text (COD or transfer details), else COD."""
    return shop.payment_info.strip()[:60] or ctx.t(
        "pesan.cod", lang=language_of(ctx.session, order.buyer_phone))


def money(idr: int) -> str:
    return short_price(idr)
