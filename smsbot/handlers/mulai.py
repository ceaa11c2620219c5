"""MULAI: promos again after STOP (only new broadcasts; skipped ones stay skipped)."""

from __future__ import annotations

from ..context import Context
from ..router import Command


def handle(ctx: Context, cmd: Command) -> None:
    ctx.contact.promo_opt_in = True
    ctx.session.add(ctx.contact)
    ctx.say("done")
