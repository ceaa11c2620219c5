"""SIARAN <PIN> <when> <text>: the admin schedules a broadcast to every opted-in contact.

Only an admin contact with the right PIN may; the PIN check, its lockout and the security
log are smsbot.contacts.auth's, shared by every privileged command.
"""

from __future__ import annotations

import re
from datetime import timedelta

from smsbot.broadcasts import runs as broadcasts
from smsbot.broadcasts.when import parse_when, show
from smsbot.contacts import auth
from smsbot.sms.command import Command
from smsbot.sms.context import Context

USAGE = "SIARAN <PIN> besok 09:00 <teks>"


def handle(ctx: Context, cmd: Command) -> None:
    if not auth.require_admin(ctx, cmd.name, cmd.args[0] if cmd.args else "", USAGE):
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
