"""Complaint tickets (KELUHAN, BALAS, SELESAI): every complaint reaches someone who answers.

A ticket belongs to three parties: the buyer who opened it, the shop it names (when known)
and the admin(s). Only they can answer (`BALAS K7QX ...`) or close it (`SELESAI K7QX`);
to anyone else a ticket does not exist (same reply as a wrong number). A ticket the shop
has not answered within ESCALATE_AFTER goes to the admin: a timer over the stored tickets,
so it survives restarts and a daemon that was down when it came due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from smsbot.catalog.models import Shop
from smsbot.clock import from_db, to_db
from smsbot.codes import new_code
from smsbot.contacts.directory import admin_phones, language_of
from smsbot.contacts.phones import local_form
from smsbot.crm.models import Complaint, ComplaintMessage
from smsbot.crm.shop_match import infer_shop, tokens
from smsbot.messages.gsm7 import TWO_SMS, fit
from smsbot.orders.models import Order, SubOrder
from smsbot.sms import grammar as grammar_module
from smsbot.sms.context import Context, Reply, Timer
from smsbot.sms.grammar import Grammar
from smsbot.store import txcache as tablecache
from smsbot.store.fast_insert import insert_now

TICKET_LENGTH = 4
TICKET_PREFIX = "K"
ESCALATE_AFTER = timedelta(hours=24)
RELAY_LIMIT = TWO_SMS  # a relayed message may take two SMS; a complaint is worth it
ROLES = ("buyer", "shop", "admin")


# -- categories -----------------------------------------------------------------------------
def categories(grammar: Grammar | None = None) -> dict:
    return (grammar or grammar_module.load()).data["complaint_categories"]


def category_names(grammar: Grammar | None = None) -> list[str]:
    return list(categories(grammar)["categories"])


def category_label(key: str, lang: str = "id", grammar: Grammar | None = None) -> str:
    spec = categories(grammar)["categories"].get(key, {})
    return spec.get(lang) or spec.get("id") or key


def categorize(text: str, grammar: Grammar | None = None) -> str:
    """The category whose words occur most often in `text` (ties: the first listed)."""
    data = categories(grammar)
    words = tokens(text)
    joined = f" {' '.join(words)} "
    best, best_score = data["default"], 0
    for key, spec in data["categories"].items():
        score = 0
        for word in spec.get("words", []):
            word = word.lower()
            if word not in joined:  # most words: not even a substring, so scored 0
                continue
            if " " in word:
                score += joined.count(f" {word} ")
            elif len(word) >= 4:
                score += sum(word in w for w in words)
            else:
                score += words.count(word)
        if score > best_score:
            best, best_score = key, score
    return best


# -- parties -------------------------------------------------------------------------------


def role_in(session: Session, ticket: Complaint, phone: str) -> str | None:
    """buyer | shop | admin, or None for anyone else (who may not see the ticket)."""
    if phone == ticket.buyer_phone:
        return "buyer"
    if ticket.shop_id is not None:
        shop = session.get(Shop, ticket.shop_id)
        if shop is not None and shop.phone == phone:
            return "shop"
    if phone in admin_phones(session):
        return "admin"
    return None


def find_ticket(session: Session, code: str) -> Complaint | None:
    code = code.upper()
    if len(code) != TICKET_LENGTH or not code.startswith(TICKET_PREFIX):
        return None
    with tablecache.reading(session, ("complaint",)):
        return session.exec(_BY_CODE, params={"code": code}).first()


_BY_CODE = select(Complaint).where(Complaint.code == bindparam("code"))
_CODE_TAKEN = select(Complaint.id).where(Complaint.code == bindparam("code"))


def _new_ticket_code(session: Session) -> str:
    with tablecache.reading(session, ("complaint",)):
        for _ in range(50):
            code = new_code(TICKET_LENGTH, prefix=TICKET_PREFIX)
            if session.exec(_CODE_TAKEN, params={"code": code}).first() is None:
                return code
    raise RuntimeError("no free complaint ticket number")


# -- opening -------------------------------------------------------------------------------
def order_shop_ids(session: Session, order: Order) -> list[int]:
    return sorted({s.shop_id for s in session.exec(
        select(SubOrder).where(SubOrder.order_id == order.id)).all()})


def open_ticket(ctx: Context, text: str, order: Order | None = None) -> Complaint:
    """Create the ticket, tell the shop and the admin(s); the caller answers the buyer."""
    session = ctx.session
    shop = None
    if order is not None:
        shop_ids = order_shop_ids(session, order)
        if len(shop_ids) == 1:
            shop = session.get(Shop, shop_ids[0])
        elif shop_ids:
            shop = infer_shop(session, text, among=shop_ids)
    else:
        shop = infer_shop(session, text)
    ticket = Complaint(code=_new_ticket_code(session), buyer_phone=ctx.sender,
                       shop_id=shop.id if shop else None, order_id=order.id if order else None,
                       category=categorize(text, ctx.grammar), text=text,
                       created_at=to_db(ctx.now))
    insert_now(session, ticket)  # its id now; the batch's pending rows wait
    session.add(ComplaintMessage(complaint_id=ticket.id, sender_phone=ctx.sender, role="buyer",
                                 text=text, created_at=to_db(ctx.now)))
    order_note = f" {order.code}" if order else ""
    if shop is not None:
        lang = language_of(session, shop.phone)
        ctx.notify(shop.phone, fit(lambda t: ctx.grammar.render(
            "keluhan.to_shop", lang, ticket=ticket.code, order=order_note, text=t,
            category=category_label(ticket.category, lang, ctx.grammar)), text, RELAY_LIMIT))
    for admin in admin_phones(session):
        if admin == ctx.sender:
            continue
        lang = language_of(session, admin)
        ctx.notify(admin, fit(lambda t: ctx.grammar.render(
            "keluhan.to_admin", lang, ticket=ticket.code, order=order_note, text=t,
            shop=shop.name if shop else ctx.grammar.render("keluhan.no_shop", lang),
            buyer=local_form(ctx.sender),
            category=category_label(ticket.category, lang, ctx.grammar)), text, RELAY_LIMIT))
    return ticket


# -- answering -------------------------------------------------------------------------------
def relay(ctx: Context, ticket: Complaint, role: str, text: str) -> None:
    """BALAS: pass `text` to the other parties. The shop answers the buyer; the admin
    answers the buyer with a copy to the shop; the buyer's answer goes to the shop, and to
    the admin too when there is no shop, the ticket was escalated or the admin has spoken."""
    session = ctx.session
    now = to_db(ctx.now)
    session.add(ComplaintMessage(complaint_id=ticket.id, sender_phone=ctx.sender, role=role,
                                 text=text, created_at=now))
    shop = session.get(Shop, ticket.shop_id) if ticket.shop_id else None
    if role in ("shop", "admin") and ticket.first_answer_at is None:
        ticket.first_answer_at = now
    if role == "shop" and ticket.shop_answered_at is None:
        ticket.shop_answered_at = now
    session.add(ticket)
    targets: list[str] = []
    if role == "shop":
        targets = [ticket.buyer_phone]
    elif role == "admin":
        targets = [ticket.buyer_phone] + ([shop.phone] if shop else [])
    else:
        admin_spoke = session.exec(select(ComplaintMessage.id).where(
            ComplaintMessage.complaint_id == ticket.id, ComplaintMessage.role == "admin")).first()
        if shop:
            targets.append(shop.phone)
        if shop is None or ticket.escalated_at is not None or admin_spoke:
            targets += admin_phones(session)
    for phone in dict.fromkeys(t for t in targets if t != ctx.sender):
        lang = language_of(session, phone)
        who = _who(ctx.grammar, role, shop, lang)
        ctx.notify(phone, fit(lambda t: ctx.grammar.render(
            "balas.relay", lang, ticket=ticket.code, who=who, text=t), text, RELAY_LIMIT))


def _who(grammar: Grammar, role: str, shop: Shop | None, lang: str) -> str:
    if role == "shop" and shop is not None:
        return shop.name
    return grammar.render(f"keluhan.who_{role}", lang)


# -- closing (SELESAI) -----------------------------------------------------------------------
def close_by_sms(ctx: Context, code: str, cmd) -> bool:
    """SELESAI finisher: False when `code` is not a ticket this sender may see."""
    ticket = find_ticket(ctx.session, code)
    if ticket is None:
        return False
    role = role_in(ctx.session, ticket, ctx.sender)
    if role is None:
        return False
    if ticket.status == "closed":
        ctx.say("keluhan.already_closed", ticket=ticket.code)
        return True
    close(ctx.session, ticket, role, ctx.now)
    ctx.say("keluhan.closed", ticket=ticket.code)
    shop = ctx.session.get(Shop, ticket.shop_id) if ticket.shop_id else None
    others = [ticket.buyer_phone] + ([shop.phone] if shop else [])
    if role != "admin" and (shop is None or ticket.escalated_at is not None):
        others += admin_phones(ctx.session)
    for phone in dict.fromkeys(p for p in others if p != ctx.sender):
        lang = language_of(ctx.session, phone)
        ctx.notify(phone, ctx.grammar.render("keluhan.closed_notice", lang, ticket=ticket.code,
                                             who=_who(ctx.grammar, role, shop, lang)))
    return True


def close(session: Session, ticket: Complaint, role: str, now: datetime) -> None:
    ticket.status = "closed"
    ticket.closed_at = to_db(now)
    ticket.closed_by = role
    session.add(ticket)


# -- escalation (a timer) --------------------------------------------------------------------
def escalate_due(session: Session, now: datetime) -> list[Reply]:
    """Open tickets whose shop has not answered within ESCALATE_AFTER go to the admin(s);
    the buyer is told. Each ticket escalates once (escalated_at)."""
    grammar = grammar_module.load()
    due = session.exec(select(Complaint).where(
        *_UNANSWERED, Complaint.created_at <= to_db(now - ESCALATE_AFTER))).all()
    replies: list[Reply] = []
    admins = admin_phones(session) if due else []
    for ticket in due:
        ticket.escalated_at = to_db(now)
        session.add(ticket)
        shop = session.get(Shop, ticket.shop_id)
        hours = int((to_db(now) - from_db(ticket.created_at)).total_seconds() // 3600)
        for admin in admins:
            lang = language_of(session, admin)
            replies.append(Reply(admin, fit(lambda t: grammar.render(
                "keluhan.escalated", lang, ticket=ticket.code, shop=shop.name if shop else "-",
                hours=hours, buyer=local_form(ticket.buyer_phone), text=t), ticket.text, RELAY_LIMIT),
                "notice"))
        lang = language_of(session, ticket.buyer_phone)
        replies.append(Reply(ticket.buyer_phone, grammar.render(
            "keluhan.escalated_buyer", lang, ticket=ticket.code), "notice"))
    return replies


def next_escalation(session: Session) -> datetime | None:
    oldest = session.exec(select(func.min(Complaint.created_at)).where(*_UNANSWERED)).one()
    return from_db(oldest) + ESCALATE_AFTER if oldest else None


_UNANSWERED = (Complaint.status == "open", col(Complaint.shop_id).is_not(None),
               col(Complaint.shop_answered_at).is_(None), col(Complaint.escalated_at).is_(None))

TIMERS = [Timer(escalate_due, next_escalation)]
