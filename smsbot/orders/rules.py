"""Orders (PESAN): one invoice (faktur) per buyer, one sub-order per shop, each confirmed
by its seller over SMS.

Pure functions over the session: they read and change rows and return values (a `Problem`
is an error the user caused, rendered by the handler as a one-SMS explanation). Nothing is
reserved until the buyer's YA; stock is taken at the seller's TERIMA with one conditional
UPDATE, so two acceptances of the last items can never both succeed (SQLite or PostgreSQL).
The states and their transitions are drawn on the models (smsbot/orders/models.py, `Order`
and `SubOrder`), which hold the one list of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, false, or_
from sqlmodel import Session, col, select

from smsbot.catalog.changes import give_back_stock, take_stock
from smsbot.catalog.lookup import product_by_code
from smsbot.catalog.models import Product, Shop
from smsbot.catalog.promos import cached_promo_price
from smsbot.clock import from_db, to_db
from smsbot.codes import ORDER_CODE_ALPHABET, ORDER_CODE_LENGTH, new_code
from smsbot.orders.models import Order, OrderItem, SubOrder
from smsbot.store import txcache as tablecache
from smsbot.store.fast_insert import insert_now

MAX_QTY = 100  # per product line
MAX_LINES = 8  # products per order: the invoice must fit 2 SMS
DRAFT_TTL = timedelta(minutes=30)
REMIND_AFTER = timedelta(hours=2)
CANCEL_AFTER = timedelta(hours=24)
DRAFT_STATE = "order_draft"  # smsbot.sms.conversation key: {"code": ...} of the order awaiting YA
LIST_STATE = "last_list"  # CARI's list: `PESAN 2 3` = item 2 of it

_QTY = re.compile(r"^[xX*]?(-?\d+)[xX]?$")
_GLUED = re.compile(r"^(.+?)[xX*](\d+)$")
_CODE_LIKE = re.compile(r"^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9-]{2,12}$")


@dataclass
class Problem:
    """Something the user must fix; `key` names a reply template, `values` fill it."""

    key: str
    values: dict = field(default_factory=dict)


@dataclass
class Line:
    product: Product
    shop: Shop
    qty: int


def price_for(session: Session, product: Product, now: datetime) -> int:
    """The unit price a buyer pays now: a seller's promo price while it runs (PROMO), else
    the list price. The invoice marks a price below `product.price_idr` as a promo."""
    promo = cached_promo_price(session, product.id, now)  # = active_promo(...).price_idr
    return min(promo, product.price_idr) if promo is not None else product.price_idr


# -- PESAN ---------------------------------------------------------------------------------
def parse_items(session: Session, args: tuple[str, ...] | list[str],
                last_codes: list[str] | None) -> list[Line] | Problem:
    """`RT01 2 GL01 x3 RT09` / `2 3` (item 2 of the last CARI list, quantity 3) -> lines,
    merged per product and checked against the stock."""
    tokens = [t.strip(",;.") for t in args]
    tokens = [t for t in tokens if t]
    if not tokens:
        return Problem("usage")
    lines: dict[int, Line] = {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        found, qty = _resolve(session, token, last_codes)
        if isinstance(found, Problem):
            return found
        if qty is None:
            qty = 1
            if i < len(tokens):
                nxt = tokens[i]
                match = _QTY.match(nxt)
                if match:
                    qty, i = _to_int(match.group(1)), i + 1
                elif not (_CODE_LIKE.match(nxt) or product_by_code(session, nxt)):
                    return Problem("bad_qty", {"qty": nxt[:10], "code": found[0].code})
        product, shop = found
        line = lines.get(product.id)
        total = qty + (line.qty if line else 0)
        if qty < 1 or total > MAX_QTY:
            return Problem("qty_range", {"code": product.code, "max": MAX_QTY})
        if line:
            line.qty = total
        else:
            lines[product.id] = Line(product, shop, qty)
    if len(lines) > MAX_LINES:
        return Problem("too_many", {"max": MAX_LINES})
    for line in lines.values():
        short = stock_problem(line)
        if short:
            return short
    return list(lines.values())


def _to_int(digits: str) -> int:
    if len(digits.lstrip("-")) > 6:
        return MAX_QTY + 1 if not digits.startswith("-") else -1
    return int(digits)


def _resolve(session: Session, token: str, last_codes: list[str] | None):
    """A token -> ((product, shop) | Problem, glued quantity or None)."""
    if token.isdigit():
        if not last_codes:
            return Problem("no_list", {"number": token[:4]}), None
        number = _to_int(token)
        if not 1 <= number <= len(last_codes):
            return Problem("bad_number", {"number": token[:4], "count": len(last_codes)}), None
        token = last_codes[number - 1]
    found = product_by_code(session, token)
    qty = None
    if found is None and (match := _GLUED.match(token)):
        found, qty = product_by_code(session, match.group(1)), _to_int(match.group(2))
    if found is None or not found[1].active:
        return Problem("unknown_code", {"code": token.upper()[:12]}), None
    return found, qty


def stock_problem(line: Line) -> Problem | None:
    stock = line.product.stock
    if stock >= line.qty:
        return None
    if stock <= 0:
        return Problem("sold_out", {"code": line.product.code, "name": line.product.name[:30]})
    return Problem("low_stock", {"code": line.product.code, "stock": stock})


def create_draft(session: Session, buyer: str, lines: list[Line], now: datetime) -> Order:
    # The prices first, so the order and its sub-orders are inserted with their totals
    # (no UPDATE of each right after its INSERT).
    code = _unused_code(session)
    priced = [(line, price_for(session, line.product, now)) for line in lines]
    shop_totals: dict[int, int] = {}
    for line, price in priced:
        shop_totals[line.shop.id] = shop_totals.get(line.shop.id, 0) + price * line.qty
    order = Order(code=code, buyer_phone=buyer, status=Order.DRAFT, total_idr=sum(shop_totals.values()),
                  created_at=to_db(now), expires_at=to_db(now + DRAFT_TTL))
    insert_now(session, order)  # its id now; the batch's pending rows wait
    by_shop: dict[int, SubOrder] = {}
    made: dict[int, tuple[SubOrder, Shop, list[OrderItem]]] = {}
    for line, price in priced:
        sub = by_shop.get(line.shop.id)
        if sub is None:
            sub = by_shop[line.shop.id] = SubOrder(order_id=order.id, shop_id=line.shop.id,
                                                   total_idr=shop_totals[line.shop.id],
                                                   created_at=to_db(now), updated_at=to_db(now))
            insert_now(session, sub)
        item = OrderItem(suborder_id=sub.id, product_id=line.product.id,
                         product_code=line.product.code, name=line.product.name,
                         qty=line.qty, unit_price_idr=price)
        session.add(item)
        made.setdefault(sub.id, (sub, line.shop, []))[2].append(item)
    # the invoice that follows reads these back: hand them over instead (see `parts`)
    tablecache.memo(session, _FRESH)[order.id] = [made[sub_id] for sub_id in sorted(made)]
    return order


_CODE_TAKEN = select(Order.id).where(Order.code == bindparam("code"))


def _unused_code(session: Session) -> str:
    with tablecache.reading(session, ("order",)):
        while True:
            code = new_code()
            if not session.exec(_CODE_TAKEN, params={"code": code}).first():
                return code


# An order created in this transaction: {order id: [(sub-order, shop, items)]} in id order,
# what `parts` and `items` would read back. Forgotten when the transaction ends.
_FRESH = "smsbot.orders.rules.fresh"  # a tablecache.memo


# -- look-ups ------------------------------------------------------------------------------
def looks_like_code(text: str) -> bool:
    text = text.upper()
    return len(text) == ORDER_CODE_LENGTH and all(c in ORDER_CODE_ALPHABET for c in text)


def find(session: Session, code: str) -> Order | None:
    return session.exec(select(Order).where(Order.code == code.upper())).first()


# What the admin filters orders by (`smsbot orders list --status`, the admin's order page): an
# order status or a sub-order status; `cancelled` is both.
STATUS_FILTERS = Order.STATUSES + tuple(s for s in SubOrder.STATUSES if s not in Order.STATUSES)


def with_status(statuses, subs=None):
    """A WHERE clause for orders: in one of `statuses` (an order status) or with a sub-order
    in one of them (a sub-order status; among `subs`, a select of SubOrder.order_id, when
    given). `cancelled` matches a cancelled order and a cancelled part of a live one."""
    subs = select(SubOrder.order_id) if subs is None else subs
    order_level = [s for s in statuses if s in Order.STATUSES]
    sub_level = [s for s in statuses if s in SubOrder.STATUSES]
    clauses = ([col(Order.status).in_(order_level)] if order_level else []) + (
        [col(Order.id).in_(subs.where(col(SubOrder.status).in_(sub_level)))] if sub_level else [])
    return or_(*clauses) if clauses else false()


def latest_for_buyer(session: Session, buyer: str) -> Order | None:
    return session.exec(select(Order).where(Order.buyer_phone == buyer)
                        .order_by(col(Order.id).desc())).first()


def parts(session: Session, order: Order) -> list[tuple[SubOrder, Shop]]:
    fresh = tablecache.memo(session, _FRESH).get(order.id)
    if fresh is not None:
        return [(sub, shop) for sub, shop, _items in fresh]
    rows = session.exec(select(SubOrder, Shop).join(Shop, Shop.id == SubOrder.shop_id)
                        .where(SubOrder.order_id == order.id).order_by(SubOrder.id)).all()
    return [(sub, shop) for sub, shop in rows]


def items(session: Session, sub: SubOrder) -> list[OrderItem]:
    for fresh in tablecache.memo(session, _FRESH).values():
        for part, _shop, its in fresh:
            if part is sub:
                return list(its)
    return list(session.exec(select(OrderItem).where(OrderItem.suborder_id == sub.id)
                             .order_by(OrderItem.id)).all())


def seller_parts(session: Session, order: Order, phone: str) -> list[tuple[SubOrder, Shop]]:
    """The sub-orders of `order` that `phone` may act on: its shops' own."""
    return [(sub, shop) for sub, shop in parts(session, order) if shop.phone == phone]


def waiting_for_seller(session: Session, phone: str, statuses: tuple[str, ...]) -> list[Order]:
    """Confirmed orders with a sub-order of `phone`'s shop(s) in one of `statuses`, oldest
    first: what a seller's TERIMA/TOLAK/KIRIM without a code may mean."""
    return list(session.exec(
        select(Order).join(SubOrder, SubOrder.order_id == Order.id)
        .join(Shop, Shop.id == SubOrder.shop_id)
        .where(Shop.phone == phone, col(SubOrder.status).in_(statuses),
               Order.status == Order.CONFIRMED)
        .order_by(Order.id).distinct()).all())


def draft_expired(order: Order, now: datetime) -> bool:
    return order.status == Order.EXPIRED or (
        order.status == Order.DRAFT and order.expires_at is not None
        and from_db(order.expires_at) <= now)


# -- YA ------------------------------------------------------------------------------------
def confirm(session: Session, order: Order, now: datetime) -> Problem | None:
    """Draft -> confirmed, after checking the stock again (nothing is reserved yet)."""
    if order.status == Order.CONFIRMED:
        return Problem("already_confirmed", {"code": order.code})
    if order.status == Order.CANCELLED:
        return Problem("was_cancelled", {"code": order.code})
    if draft_expired(order, now):
        order.status = Order.EXPIRED
        session.add(order)
        return Problem("expired", {"code": order.code})
    for sub, shop in parts(session, order):
        for item in items(session, sub):
            product = session.get(Product, item.product_id)
            session.refresh(product)
            short = stock_problem(Line(product, shop, item.qty))
            if short or not product.active:
                return short or Problem("unknown_code", {"code": item.product_code})
    order.status = Order.CONFIRMED
    order.confirmed_at = to_db(now)
    session.add(order)
    for sub, _ in parts(session, order):
        sub.updated_at = to_db(now)
        session.add(sub)
    return None


# -- stock ---------------------------------------------------------------------------------
def current_stock(session: Session, product_id: int) -> int:
    return session.exec(select(Product.stock).where(Product.id == product_id)).one()


# -- seller steps ----------------------------------------------------------------------------
def accept(session: Session, sub: SubOrder, now: datetime) -> Problem | None:
    """pending -> accepted, taking the stock of every item (all or none)."""
    taken: list[OrderItem] = []
    for item in items(session, sub):
        if not take_stock(session, item.product_id, item.qty):
            for done in taken:
                give_back_stock(session, done.product_id, done.qty)
            return Problem("seller_short", {"code": item.product_code,
                                            "stock": current_stock(session, item.product_id)})
        taken.append(item)
    _set(session, sub, SubOrder.ACCEPTED, now, accepted_at=to_db(now))
    return None


def refuse(session: Session, sub: SubOrder, reason: str, now: datetime) -> None:
    _set(session, sub, SubOrder.REFUSED, now, reason=reason)


def ship(session: Session, sub: SubOrder, now: datetime) -> None:
    _set(session, sub, SubOrder.SHIPPED, now, shipped_at=to_db(now))


def finish(session: Session, sub: SubOrder, now: datetime) -> None:
    _set(session, sub, SubOrder.DONE, now, done_at=to_db(now))


def cancel_part(session: Session, sub: SubOrder, reason: str, now: datetime) -> None:
    if sub.status == SubOrder.ACCEPTED:
        for item in items(session, sub):
            give_back_stock(session, item.product_id, item.qty)
    _set(session, sub, SubOrder.CANCELLED, now, reason=reason, cancelled_at=to_db(now))


def _set(session: Session, sub: SubOrder, status: str, now: datetime, **values) -> None:
    sub.status = status
    sub.updated_at = to_db(now)
    for name, value in values.items():
        setattr(sub, name, value)
    session.add(sub)
    session.flush()
    order = session.get(Order, sub.order_id)
    settle(session, order)


def settle(session: Session, order: Order) -> None:
    """A confirmed order with nothing left alive (all refused or cancelled) is cancelled."""
    if order.status == Order.CONFIRMED and all(
            sub.status in SubOrder.ENDED_UNSOLD for sub, _ in parts(session, order)):
        order.status = Order.CANCELLED
        session.add(order)


# -- BATAL ---------------------------------------------------------------------------------
def cancel(session: Session, order: Order, now: datetime) -> tuple[list, list]:
    """The buyer cancels what no seller has shipped. Returns (cancelled, kept) sub-orders
    with their shops; an accepted sub-order's stock goes back."""
    if order.status == Order.DRAFT:
        order.status = Order.CANCELLED
        session.add(order)
        return [], []
    cancelled, kept = [], []
    for sub, shop in parts(session, order):
        if sub.status in SubOrder.CANCELLABLE:
            was = sub.status
            cancel_part(session, sub, "dibatalkan pembeli", now)
            cancelled.append((sub, shop, was))
        elif sub.status in (SubOrder.SHIPPED, SubOrder.DONE):
            kept.append((sub, shop))
    return cancelled, kept
