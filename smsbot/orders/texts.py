"""Order texts that must fit an SMS: invoices, seller notices, status lines.

Item lists are shortened step by step (full names, short names, codes only) until the text
fits one SMS (160 GSM-7 septets); only when even codes do not fit may it take two (153 x 2
septets in a concatenated SMS). Templates live in grammar/keywords/*.toml.
"""

from __future__ import annotations

from typing import Callable

from sqlmodel import Session

from smsbot.catalog.models import Product, Shop
from smsbot.catalog.prices import short_price
from smsbot.contacts.phones import local_form
from smsbot.messages.gsm7 import ONE_SMS, TWO_SMS, fits
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, OrderItem, SubOrder
from smsbot.sms.grammar import Grammar

FORMS = (0, 1, 2, 3)  # full names, short names, codes only, codes without shop names


def fit(render: Callable[[int], str], plan: tuple[tuple[int, int], ...] | None = None) -> str:
    """The first render(form) that fits its limit, trying (limit, form) pairs in `plan`
    order (default: every form in one SMS, then every form in two), measured in septets by
    smsbot.messages.gsm7.fits; as a last resort the shortest form (the callers cap the
    number of lines)."""
    plan = plan or tuple((limit, form) for limit in (ONE_SMS, TWO_SMS) for form in FORMS)
    for limit, form in plan:
        text = render(form)
        if fits(text, limit):
            return text
    return render(FORMS[-1])


# An invoice keeps product and shop names even if that takes a second SMS: the buyer must
# see what and from whom before YA. Codes alone only when names do not fit two.
INVOICE_PLAN = ((ONE_SMS, 0), (ONE_SMS, 1), (TWO_SMS, 0), (TWO_SMS, 1), (TWO_SMS, 2), (TWO_SMS, 3))


def item_text(session: Session, item: OrderItem, form: int) -> str:
    product = session.get(Product, item.product_id)
    promo = "(promo)" if product is not None and item.unit_price_idr < product.price_idr else ""
    price = short_price(item.unit_price_idr) + promo
    each = f"{item.qty}x{price}" if item.qty > 1 else price
    if form >= 2:
        return f"{item.product_code} {each}"
    name = item.name if form == 0 else short_name(item.name)
    return f"{item.product_code} {name} {each}"


def short_name(name: str, limit: int = 16) -> str:
    """Whole words up to `limit` characters (`Galamai Original 500g` -> `Galamai Original`)."""
    words, out = name.split(), ""
    for word in words:
        if len(out) + len(word) + (1 if out else 0) > limit:
            break
        out = f"{out} {word}" if out else word
    return out or name[:limit]


def shop_name(shop: Shop, form: int) -> str:
    return shop.name if form < 2 else short_name(shop.name, 14)


def part_text(session: Session, sub: SubOrder, shop: Shop | None, form: int) -> str:
    """`RT01 Rendang Telur 250g 2x25rb, GL01 ...`, prefixed by the shop name when given."""
    listed = ", ".join(item_text(session, item, form) for item in orders.items(session, sub))
    return f"{shop_name(shop, form)}: {listed}" if shop is not None else listed


def order_lines(session: Session, order: Order, form: int) -> str:
    parts = orders.parts(session, order)
    if len(parts) == 1 or form == 3:
        return ", ".join(part_text(session, sub, None, form) for sub, _ in parts)
    return "; ".join(part_text(session, sub, shop, form) for sub, shop in parts)


def delivery(grammar: Grammar, order: Order, lang: str) -> str:
    if order.delivery == "antar":
        return grammar.render("pesan.deliver", lang, address=order.address)
    return grammar.render("pesan.pickup", lang)


def payment(grammar: Grammar, shop: Shop, lang: str) -> str:
    return shop.payment_info.strip()[:60] or grammar.render("pesan.cod", lang)


def invoice(session: Session, grammar: Grammar, order: Order, lang: str) -> str:
    where = delivery(grammar, order, lang)
    return fit(lambda form: grammar.render(
        "pesan.invoice", lang, code=order.code, lines=order_lines(session, order, form),
        total=short_price(order.total_idr), delivery=where), INVOICE_PLAN)


def seller_notice(session: Session, grammar: Grammar, order: Order, sub: SubOrder,
                  lang: str) -> str:
    where = delivery(grammar, order, lang)
    return fit(lambda form: grammar.render(
        "ya.seller_new", lang, code=order.code, lines=part_text(session, sub, None, form),
        total=short_price(sub.total_idr), buyer=local_form(order.buyer_phone),
        delivery=where))


def status_text(session: Session, grammar: Grammar, order: Order,
                parts: list[tuple[SubOrder, Shop]], lang: str) -> str:
    state = grammar.render(f"status.order_{order.status}", lang)

    def render(form: int) -> str:
        listed = "; ".join(
            f"{shop.code if form == 3 else shop_name(shop, form)} "
            f"{grammar.render('status.sub_' + sub.status, lang)}"
            f" {short_price(sub.total_idr)}" for sub, shop in parts)
        return grammar.render("status.reply", lang, code=order.code, state=state,
                              parts=listed, total=short_price(sum(s.total_idr for s, _ in parts)))
    return fit(render)
