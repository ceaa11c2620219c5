"""SIARAN <PIN> <when> <text>: the admin schedules a broadcast to every opted-in contact.

Only an admin contact with the right PIN may. Wrong PINs are counted per phone (and logged);
after MAX_FAILURES within LOCK_MINUTES the command is refused even with the right PIN.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from .. import broadcasts, state
from ..contacts import check_pin
from ..context import Context
from ..router import Command
from ..when import parse_when, show

log = logging.getLogger(__name__)

MAX_FAILURES = 3
LOCK_MINUTES = 30
PIN_STATE = "pin_failures"


def pin_refusal(ctx: Context, pin: str) -> str | None:
    """None if the PIN is right and not locked; else the reply key. Shared by admin commands."""
    failures = state.get(ctx.session, ctx.sender, PIN_STATE, ctx.now) or {"count": 0}
    if failures["count"] >= MAX_FAILURES:
        log.warning("admin PIN locked for %s", ctx.sender)
        return "siaran.locked"
    if check_pin(ctx.contact, pin):
        state.clear(ctx.session, ctx.sender, PIN_STATE)
        return None
    failures["count"] += 1
    state.put(ctx.session, ctx.sender, PIN_STATE, failures, ctx.now,
              ttl=timedelta(minutes=LOCK_MINUTES))
    log.warning("wrong admin PIN from %s (%d in a row)", ctx.sender, failures["count"])
    return "siaran.locked" if failures["count"] >= MAX_FAILURES else "siaran.bad_pin"


def handle(ctx: Context, cmd: Command) -> None:
    if ctx.contact.role != "admin":
        ctx.say("admin_only")
        return
    if not cmd.args:
        ctx.reply(ctx.grammar.usage(cmd.keyword, ctx.lang))
        return
    refusal = pin_refusal(ctx, cmd.args[0])
    if refusal:
        ctx.say(refusal, minutes=LOCK_MINUTES)
        return
    when = parse_when(cmd.args[1:3], ctx.now)
    if when is None:
        ctx.say("bad_when")
        return
    moment, used = when
    if moment < ctx.now - timedelta(minutes=1):
        ctx.say("past", when=show(moment))
        return
    parts = re.split(r"[\s#*]+", cmd.rest.strip(), maxsplit=1 + used)
    text = parts[1 + used].strip() if len(parts) > 1 + used else ""
    if not text:
        ctx.say("no_text")
        return
    broadcast = broadcasts.create(ctx.session, text, max(moment, ctx.now), ctx.now,
                                  created_by=ctx.sender)
    ctx.say("done", id=broadcast.id, when=show(broadcast.first_at),
            count=broadcasts.count_recipients(ctx.session, broadcast.target))
