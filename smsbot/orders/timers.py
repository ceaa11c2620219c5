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

from sqlalchemy import func
from sqlmodel import Session, col, select

from smsbot.catalog.models import Shop
from smsbot.catalog.prices import short_price
from smsbot.clock import from_db, local, to_db
from smsbot.contacts.directory import language_of
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, SubOrder
from smsbot.sms import grammar as grammar_module
from smsbot.sms.context import Reply, Timer


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


# -- when each comes due next (indexed on the statuses: O(rows waiting), not O(orders)) ------
def next_draft_expiry(session: Session) -> datetime | None:
    return _at(session.exec(select(func.min(Order.expires_at))
                            .where(Order.status == "draft")).one())


def _oldest_waiting(session: Session, *, unreminded: bool = False) -> datetime | None:
    query = (select(func.min(Order.confirmed_at)).select_from(SubOrder)
             .join(Order, Order.id == SubOrder.order_id)
             .where(SubOrder.status == "pending", Order.status == "confirmed"))
    if unreminded:
        query = query.where(col(SubOrder.reminded_at).is_(None))
    return _at(session.exec(query).one())


def next_cancel(session: Session) -> datetime | None:
    oldest = _oldest_waiting(session)
    return oldest + orders.CANCEL_AFTER if oldest else None


def next_reminder(session: Session) -> datetime | None:
    oldest = _oldest_waiting(session, unreminded=True)
    return oldest + orders.REMIND_AFTER if oldest else None


def _at(moment) -> datetime | None:
    return from_db(moment) if moment is not None else None


TIMERS = [Timer(expire_drafts, next_draft_expiry), Timer(cancel_unanswered, next_cancel),
          Timer(remind_sellers, next_reminder)]
