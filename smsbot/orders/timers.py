"""Order timers (smsbot.sms.timers): work that comes due by the clock.

- a draft not confirmed within 30 min expires (no SMS: nothing was reserved, and YA/STATUS
  explain it);
- a seller who has not answered a sub-order 2 h after YA gets one reminder;
- 24 h after YA an unanswered sub-order is cancelled and the buyer (and the shop) told.

Everything is decided from rows (Order.confirmed_at, SubOrder.reminded_at), so a restart or
a daemon that was down past a deadline simply catches up; each run is idempotent. The
cancel runs before the reminder, so a sub-order overdue for both is only cancelled.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from smsbot.catalog.models import Shop
from smsbot.catalog.prices import short_price
from smsbot.clock import local, to_db
from smsbot.contacts.directory import language_of
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, SubOrder
from smsbot.sms import grammar as grammar_module
from smsbot.sms.context import Reply


def expire_drafts(session: Session, now: datetime) -> list[Reply]:
    drafts = session.exec(select(Order).where(Order.status == "draft",
                                              col(Order.expires_at) <= to_db(now))).all()
    for order in drafts:
        order.status = "expired"
        session.add(order)
    return []


def _waiting(session: Session, older_than: datetime):
    return session.exec(
        select(SubOrder, Order, Shop).join(Order, Order.id == SubOrder.order_id)
        .join(Shop, Shop.id == SubOrder.shop_id)
        .where(SubOrder.status == "pending", Order.status == "confirmed",
               col(Order.confirmed_at) <= to_db(older_than))
        .order_by(SubOrder.id)).all()


def cancel_unanswered(session: Session, now: datetime) -> list[Reply]:
    grammar = grammar_module.load()
    replies: list[Reply] = []
    for sub, order, shop in _waiting(session, now - orders.CANCEL_AFTER):
        orders.cancel_part(session, sub, "tidak dijawab 24 jam", now)
        buyer_lang = language_of(session, order.buyer_phone)
        replies.append(Reply(order.buyer_phone, grammar.render(
            "ya.timeout_buyer", buyer_lang, code=order.code, shop=shop.name[:30]), "notice"))
        replies.append(Reply(shop.phone, grammar.render(
            "ya.timeout_seller", language_of(session, shop.phone), code=order.code), "notice"))
    return replies


def remind_sellers(session: Session, now: datetime) -> list[Reply]:
    grammar = grammar_module.load()
    replies: list[Reply] = []
    for sub, order, shop in _waiting(session, now - orders.REMIND_AFTER):
        if sub.reminded_at is not None:
            continue
        sub.reminded_at = to_db(now)
        session.add(sub)
        deadline = local(order.confirmed_at) + orders.CANCEL_AFTER
        replies.append(Reply(shop.phone, grammar.render(
            "ya.reminder", language_of(session, shop.phone), code=order.code,
            total=short_price(sub.total_idr), deadline=deadline.strftime("%d/%m %H:%M")),
            "notice"))
    return replies


TIMERS = [expire_drafts, cancel_unanswered, remind_sellers]
