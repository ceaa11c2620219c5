"""Hostile input: adversarial SMS texts and the invariants every answer must keep.

Used by the hypothesis test (tests/test_fuzz.py) and `scripts/fuzz.py`. A case goes through
the real path (ingest.record -> ingest.process: limits, router, handlers, outbox gate) on
a real database; `check_case` raises AssertionError when an invariant breaks and
`check_db` lists what is inconsistent in the store afterwards.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import text as sql
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from smsbot.catalog.models import Product, Shop
from smsbot.contacts.models import Contact
from smsbot.contacts.phones import sender_kind
from smsbot.messages import inbox as ingest
from smsbot.messages.gsm7 import is_gsm7
from smsbot.messages.limits import Limits
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.messages.outbox import MAX_PAGES, MAX_SEGMENTS
from smsbot.modem.transport.base import IncomingSMS
from smsbot.sms.grammar import Grammar
from smsbot.sms.models import ConversationState

PIECES = [
    # keywords and near-keywords
    "CARI", "cari", "LAGI", "BANTUAN", "SELESAI", "PESAN", "YA", "TIDAK", "?", "help", "CR",
    "cari#rendang", "CARI*galamai*", "Cari.", "SELESAI K7QX", "SELESAI ''", "BANTUAN CARI",
    "RT01", "GL01", "rendang telur", "0", "-1", "99999999999999999999", "1e308", "NaN",
    # SQL
    "'; DROP TABLE product; --", "\" OR 1=1 --", "' UNION SELECT pin_hash FROM contact --",
    "%' AND 1=1 AND '%'='", "\\'", "Robert'); DELETE FROM outboxmessage;--",
    # format strings and templates
    "{0}", "{lines}", "{menu}", "{usage!r}", "{0.__class__}", "{__import__}", "%s%s%s%n",
    "%(name)s", "${HOME}", "{{7*7}}", "{% for x in y %}", "<script>alert(1)</script>",
    "#{7*7}", "{code:>99999}", "{query:%Y}",
    # control characters, separators, unicode oddities
    "\x00", "\x1b[31m", "\r\n", "\t", "\u200b", "\u202e", "\ufeff", "\u00a0", "\x7f", "\x0c",
    "\ud800", "\udfff",  # lone surrogates (a broken UCS-2 SMS)
    # emoji and other scripts
    "😀", "🍛🔥", "👨‍👩‍👧", "🇮🇩", "ренданг", "仁当", "رندڠ", "ரெண்டாங்", "ℝ𝕖𝕟𝕕𝕒𝕟𝕘", "Ｃａｒｉ",
    "rendáng", "çari", "€", "[]{}^~|\\",
]
SENDERS = ["081300000001", "081300000002", "+6281300000003", "6281300000004",
           "081200000001", "TELKOMSEL", "3636", "+62811", "", "08x1300000001"]


def random_text(rng: random.Random) -> str:
    """A text from pieces, random code points and long runs, up to ~1,000 characters."""
    kind = rng.random()
    if kind < 0.1:
        return rng.choice(PIECES) * rng.randint(1, 1000 // max(1, len(rng.choice(PIECES))))
    if kind < 0.2:
        return "".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 200)))
    parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 8))]
    seps = [" ", "", "#", "*", ".", ",", "  ", "\n"]
    text = "".join(p + rng.choice(seps) for p in parts)
    return text[:1000]


def random_sender(rng: random.Random) -> str:
    """Mostly the same few people (so the limits and the loop guard are reached), some
    operator IDs, short codes and junk."""
    roll = rng.random()
    if roll < 0.05:
        return "".join(chr(rng.randint(32, 0x2FF)) for _ in range(rng.randint(0, 20)))
    if roll < 0.25:
        return rng.choice(SENDERS[5:])
    if roll < 0.5:
        return rng.choice(SENDERS[:5])
    return f"08131{rng.randrange(12):07d}"


@dataclass
class Tally:
    cases: int = 0
    outcomes: Counter = field(default_factory=Counter)  # answered / limited / loop / ignored ...
    replies: int = 0
    pages: Counter = field(default_factory=Counter)  # segments per reply row
    crashes: int = 0
    gate_violations: int = 0

    def merge(self, other: "Tally") -> None:
        self.cases += other.cases
        self.outcomes.update(other.outcomes)
        self.replies += other.replies
        self.pages.update(other.pages)
        self.crashes += other.crashes
        self.gate_violations += other.gate_violations

    def lines(self) -> list[str]:
        return [
            f"cases:           {self.cases}",
            f"outcomes:        {dict(sorted(self.outcomes.items()))}",
            f"reply SMS:       {self.replies} (segments: {dict(sorted(self.pages.items()))})",
            f"crashes:         {self.crashes}",
            f"gate violations: {self.gate_violations}",
        ]


def run_case(engine: Engine, grammar: Grammar, sender: str, text: str, now: datetime,
             limits: Limits, uid: str, tally: Tally | None = None) -> list[OutboxMessage]:
    """One SMS through record + process; checks every invariant of one answer."""
    sms = IncomingSMS(sender=sender, text=text, sent_at=now, uid=uid)
    stored = ingest.record(engine, sms, now, modem="fuzz")
    assert stored is not None, "a new SMS must be stored"
    ingest.process(engine, stored.id, now, grammar, limits)
    with Session(engine) as session:
        row = session.get(InboundMessage, stored.id)
        rows = list(session.exec(select(OutboxMessage).where(OutboxMessage.inbound_id == row.id)))
    outcome = ("ignored" if row.status == "ignored" else
               "crash" if row.note.startswith("error:") else
               row.note.split(":")[0] if row.note else "answered")
    if tally is not None:
        tally.cases += 1
        tally.outcomes[outcome] += 1
        tally.replies += len(rows)
        for reply in rows:
            tally.pages[reply.segments] += 1
    assert row.status in ("processed", "ignored"), row.status
    assert outcome != "crash", f"handler crashed: {row.note}"
    if sender_kind(sender) != "person":
        assert row.status == "ignored" and not rows, "never answer an operator or short code"
    for reply in rows:
        problem = gate_problem(reply)
        assert problem is None, f"{problem}: {reply.text!r}"
    assert len([r for r in rows if r.to == row.sender_e164]) <= MAX_PAGES * 2
    return rows


def gate_problem(row: OutboxMessage) -> str | None:
    if not row.text:
        return "empty reply"
    if not is_gsm7(row.text):
        return "not GSM-7"
    if row.encoding != "gsm7" or row.segments > MAX_SEGMENTS:
        return f"{row.encoding} in {row.segments} segments"
    if not (row.to.startswith("+") and row.to[1:].isdigit()):
        return f"recipient {row.to!r} is not E.164"
    return None


def catalog_fingerprint(engine: Engine) -> tuple:
    with Session(engine) as session:
        products = session.exec(select(Product.code_key, Product.price_idr, Product.stock)
                                .order_by(Product.id)).all()
        shops = session.exec(select(Shop.code_key, Shop.phone).order_by(Shop.id)).all()
        admins = session.exec(select(Contact.phone, Contact.pin_hash)
                              .where(Contact.role == "admin").order_by(Contact.id)).all()
    return tuple(products), tuple(shops), tuple(admins)


def check_db(engine: Engine, catalog_before: tuple | None = None) -> list[str]:
    """Everything that should always hold in the store; returns the problems found."""
    problems = []
    with Session(engine) as session:
        integrity = session.exec(sql("PRAGMA integrity_check")).one()[0] \
            if engine.url.get_backend_name() == "sqlite" else "ok"
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        statuses = dict(session.exec(select(InboundMessage.status, func.count())
                                     .group_by(InboundMessage.status)).all())
        if set(statuses) - {"processed", "ignored"}:
            problems.append(f"inbound left unprocessed: {statuses}")
        keys = session.exec(select(func.count(InboundMessage.id),
                                   func.count(func.distinct(InboundMessage.dedupe_key)))).one()
        if keys[0] != keys[1]:
            problems.append("inbound dedupe keys repeat")
        inbound_ids = set(session.exec(select(InboundMessage.id)).all())
        for row in session.exec(select(OutboxMessage)):
            if row.inbound_id is not None and row.inbound_id not in inbound_ids:
                problems.append(f"outbox {row.id} points at missing inbound {row.inbound_id}")
            problem = gate_problem(row)
            if problem:
                problems.append(f"outbox {row.id}: {problem}")
        seen = set()
        for state in session.exec(select(ConversationState)):
            if (state.phone, state.key) in seen:
                problems.append(f"state {state.phone} {state.key} twice")
            seen.add((state.phone, state.key))
            try:
                json.loads(state.data)
            except ValueError:
                problems.append(f"state {state.id} is not JSON")
        phones = session.exec(select(Contact.phone)).all()
        if len(phones) != len(set(phones)):
            problems.append("a contact phone repeats")
        for phone in phones:
            if not (phone.startswith("+") and phone[1:].isdigit()):
                problems.append(f"contact {phone!r} is not E.164")
    if catalog_before is not None and catalog_fingerprint(engine) != catalog_before:
        problems.append("the catalog, the shops or the admins changed")
    return problems


def advance(now: datetime, rng: random.Random) -> datetime:
    """Simulated time between cases: mostly seconds, sometimes an hour (so that both the
    limits and the loop guard are reached and left)."""
    gap = rng.choices([0, 1, 5, 30, 120, 600, 3600], weights=[30, 20, 20, 15, 8, 5, 2])[0]
    return now + timedelta(seconds=gap)
