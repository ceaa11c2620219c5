"""Per-sender limits and the loop guard: what keeps a flood or an auto-responder from
burning the modem's credit.

- **Rate**: at most `per_window` answered SMS per `window` (default 10 per 10 minutes) and
  `per_day` per 24 hours (60). Beyond that the sender gets one "too many messages" notice,
  then silence until the window has passed. Their SMS are still stored (status
  `processed`, note `limited`), so nothing is lost for the admin.
- **Loop guard**: the same text from the same sender within `loop_window` (10 minutes)
  whose answer would be the same is answered `loop_answers` times (2: a person who re-sends
  because our reply was late, the commonest SMS habit, gets it again); from the third such
  SMS on it is not answered, and whatever its handler changed is rolled back. An
  auto-responder that repeats one text or echoes our reply thus gets two answers, then
  silence (RapidPro calls 20 identical SMS in 5 minutes a loop; SMS here cost the shop's
  credit, so we stop sooner). A text whose answer moves on (`LAGI` paging) is answered.

All state is in the database (outbox rows and `smsbot.sms.conversation`); no sleeps, so the simulated
clock drives it in tests. Configure with `SMSBOT_REPLY_LIMITS` (`10/10m,60/24h`, or `off`)
and `SMSBOT_LOOP_WINDOW` (`10m`, `0` = off).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from smsbot.clock import to_db
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.sms import conversation as state

NOTICE_KEY = "limits.notice"
_SPAN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class Limits:
    per_window: int = 10
    window: timedelta = timedelta(minutes=10)
    per_day: int = 60
    day: timedelta = timedelta(hours=24)
    loop_window: timedelta = timedelta(minutes=10)
    loop_answers: int = 2  # the same text with the same answer is answered this often per window
    exempt_roles: tuple[str, ...] = ()

    @classmethod
    def off(cls) -> "Limits":
        return cls(per_window=0, per_day=0, loop_window=timedelta(0))

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Limits":
        env = os.environ if env is None else env
        limits = cls()
        spec = env.get("SMSBOT_REPLY_LIMITS", "").strip().lower()
        if spec in ("off", "0", "none"):
            limits = cls(per_window=0, per_day=0, loop_window=limits.loop_window)
        elif spec:
            (n1, w1), (n2, w2) = (_parse_rate(p) for p in spec.split(","))
            limits = cls(per_window=n1, window=w1, per_day=n2, day=w2)
        loop = env.get("SMSBOT_LOOP_WINDOW", "").strip().lower()
        if loop:
            window = timedelta(0) if loop in ("0", "off") else _parse_rate("1/" + loop)[1]
            limits = cls(per_window=limits.per_window, window=limits.window,
                         per_day=limits.per_day, day=limits.day, loop_window=window)
        return limits


def _parse_rate(text: str) -> tuple[int, timedelta]:
    match = _SPAN.match(text)
    if not match:
        raise ValueError(f"expected a rate like 10/10m or 60/24h, got {text!r}")
    count, amount, unit = match.groups()
    return int(count), timedelta(**{_UNITS[unit]: int(amount)})


def answered_since(session: Session, phone: str, since: datetime) -> int:
    """How many of this sender's SMS were answered since `since` (a paged reply counts once)."""
    return session.exec(
        select(func.count(func.distinct(OutboxMessage.inbound_id)))
        .where(OutboxMessage.to == phone, OutboxMessage.kind == "reply",
               col(OutboxMessage.inbound_id).is_not(None),
               OutboxMessage.created_at >= to_db(since))
    ).one()


def verdict(session: Session, phone: str, role: str, now: datetime, limits: Limits) -> str:
    """'answer', 'notice' (over a limit: send the one notice) or 'silent'."""
    if role in limits.exempt_roles:
        return "answer"
    over = None
    if limits.per_window and answered_since(session, phone, now - limits.window) >= limits.per_window:
        over = limits.window
    if limits.per_day and answered_since(session, phone, now - limits.day) >= limits.per_day:
        over = limits.day
    if over is None:
        return "answer"
    if state.get(session, phone, NOTICE_KEY, now):
        return "silent"
    state.put(session, phone, NOTICE_KEY, {"since": to_db(now).isoformat()}, now, ttl=over)
    return "notice"


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def repeat_of(session: Session, row: InboundMessage, texts: list[str], now: datetime,
              limits: Limits) -> int | None:
    """The id of the latest earlier SMS with the same text from the same sender, within the
    loop window, that got exactly these answer texts, when `limits.loop_answers` such SMS were
    already answered; None when this one must be answered. A person who re-sends because our
    reply was late gets it again; an auto-responder sending one text, or echoing our reply,
    is cut off from its (loop_answers + 1)th identical SMS."""
    if not limits.loop_window or not row.sender_e164:
        return None
    earlier = session.exec(
        select(InboundMessage)
        .where(InboundMessage.sender_e164 == row.sender_e164, InboundMessage.id != row.id,
               InboundMessage.status == "processed",
               InboundMessage.received_at >= to_db(now - limits.loop_window))
        .order_by(col(InboundMessage.id).desc()).limit(50)
    ).all()
    repeats: list[int] = []
    for other in earlier:
        if not same_text(other.text, row.text):
            continue
        answered = session.exec(
            select(OutboxMessage.text).where(OutboxMessage.inbound_id == other.id,
                                             OutboxMessage.to == row.sender_e164)
            .order_by(OutboxMessage.id)
        ).all()
        if not answered:
            continue  # itself silenced: compare with the ones that were answered
        if list(answered) != texts:
            break  # the answer moved on since (LAGI paging, a changed stock): not a loop
        repeats.append(other.id)
        if len(repeats) >= limits.loop_answers:
            return repeats[0]
    return None
