"""MULAI: promos again after STOP (only new broadcasts; skipped ones stay skipped)."""

from __future__ import annotations

from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    ctx.contact.promo_opt_in = True
    ctx.session.add(ctx.contact)
    ctx.say("done")
