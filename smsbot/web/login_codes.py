"""One-time login codes for the dashboard, sent by SMS through the bot's own outbox.

Rules a caller must know:
- a code is 6 digits, valid CODE_TTL, good for one login, and dead after MAX_WRONG wrong
  tries; asking again while a code is still live sends nothing and keeps that code (it is
  already on the owner's phone), so nobody can replace the owner's code or run up SMS;
- limits nobody can turn against the owner: PER_PHONE requests for one number and
  PER_CLIENT requests for any numbers, both per client address within WINDOW (an attacker
  exhausts only their own address), and at most SMS_PER_PHONE codes sent to one number
  within SMS_WINDOW, whoever asks (the SMS bill; the owner's live code still works);
- codes are stored salted and hashed (`LoginCode.code_hash`), never in clear, except in the
  outbox row that carries the SMS;
- every request is a row, also for numbers that may not log in (nothing is sent to them),
  so the limits treat all numbers alike and the answer never tells whether a number is
  registered.
Functions work in the caller's session; the caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from smsbot.clock import to_db
from smsbot.contacts.models import Contact, LoginCode
from smsbot.messages import outbox
from smsbot.sms import grammar as grammar_module
from smsbot.sms.context import Reply

CODE_TTL = timedelta(minutes=5)
MAX_WRONG = 5
WINDOW = timedelta(minutes=15)
PER_PHONE = 3  # codes asked for one phone by one client address within WINDOW
PER_CLIENT = 10  # login requests per client address within WINDOW, any numbers
SMS_WINDOW = timedelta(hours=1)
SMS_PER_PHONE = 5  # codes sent to one phone within SMS_WINDOW, whoever asked
KEEP = timedelta(days=1)  # older rows are deleted at the next request


def new_code() -> str:
    return f"{secrets.randbelow(10 ** 6):06d}"


def hash_code(code: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    return f"{salt}${hashlib.sha256(f'{salt}:{code}'.encode()).hexdigest()}"


def matches(code: str, stored: str) -> bool:
    salt, _, _digest = stored.partition("$")
    return bool(salt) and hmac.compare_digest(hash_code(code.strip(), salt), stored)


def limited(session: Session, phone: str, client: str, now: datetime) -> bool:
    """True when this client address asked too often within WINDOW, for this phone or for
    any. Requests from other addresses do not count: the owner's phone is not locked by a
    stranger asking for its codes."""
    since = to_db(now - WINDOW)
    by_phone = session.exec(select(func.count()).select_from(LoginCode).where(
        LoginCode.phone == phone, LoginCode.client == client[:64],
        LoginCode.created_at >= since)).one()
    if by_phone >= PER_PHONE:
        return True
    if not client:
        return False
    by_client = session.exec(select(func.count()).select_from(LoginCode).where(
        LoginCode.client == client, LoginCode.created_at >= since)).one()
    return by_client >= PER_CLIENT


def request_code(session: Session, phone: str, client: str, now: datetime,
                 may_login: bool) -> str:
    """"limited" (nothing written or sent), else "asked": a row is written and, when
    `may_login` and the phone has no live code and is under SMS_PER_PHONE, a fresh code
    goes to the outbox as a reply-priority SMS to `phone`."""
    if limited(session, phone, client, now):
        return "limited"
    session.exec(delete(LoginCode).where(LoginCode.created_at < to_db(now - KEEP)))
    row = LoginCode(phone=phone, client=client[:64], created_at=to_db(now),
                    expires_at=to_db(now + CODE_TTL))
    if may_login and not _live_code(session, phone, now) and _sent(session, phone, now) < SMS_PER_PHONE:
        code = new_code()
        row.code_hash = hash_code(code)
        contact = session.exec(select(Contact).where(Contact.phone == phone)).first()
        lang = (contact.language if contact else "") or "id"
        text = grammar_module.load().render("web_login.code", lang, code=code,
                                            minutes=int(CODE_TTL.total_seconds() // 60))
        outbox.enqueue(session, Reply(phone, text, "reply"), now)
    session.add(row)
    return "asked"


def check_code(session: Session, phone: str, code: str, now: datetime) -> bool:
    """True once for the right code of the phone's newest live code; a wrong code counts
    against that code's tries. One answer for every failure (wrong, expired, used, unknown
    number, too many tries): the page must not tell them apart."""
    row = _live_code(session, phone, now)
    if row is None:
        return False
    if not matches(code, row.code_hash):
        session.exec(update(LoginCode).where(LoginCode.id == row.id)
                     .values(wrong_tries=LoginCode.wrong_tries + 1))
        return False
    used = session.exec(update(LoginCode).where(
        LoginCode.id == row.id, col(LoginCode.used_at).is_(None),
        LoginCode.wrong_tries < MAX_WRONG).values(used_at=to_db(now)))
    return used.rowcount == 1  # two tabs racing with one code: only one logs in


def _live_code(session: Session, phone: str, now: datetime) -> LoginCode | None:
    """The phone's code that may still log in: sent, unused, unexpired, tries left."""
    return session.exec(select(LoginCode).where(
        LoginCode.phone == phone, LoginCode.code_hash != "", col(LoginCode.used_at).is_(None),
        LoginCode.expires_at > to_db(now), LoginCode.wrong_tries < MAX_WRONG)
        .order_by(col(LoginCode.id).desc())).first()


def _sent(session: Session, phone: str, now: datetime) -> int:
    return session.exec(select(func.count()).select_from(LoginCode).where(
        LoginCode.phone == phone, LoginCode.code_hash != "",
        LoginCode.created_at >= to_db(now - SMS_WINDOW))).one()
