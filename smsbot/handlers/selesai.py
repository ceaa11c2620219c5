"""SELESAI <code>: one keyword, several owners of codes (orders, complaint tickets).

Each owner is a function `(ctx, code, cmd) -> bool` that returns False when the code is not
one of its own; the first that returns True has answered.
"""

from __future__ import annotations

from importlib import import_module

from ..context import Context
from ..router import Command

# "module:function" of each code owner, asked in this order.
FINISHERS: list[str] = [
    "smsbot.order_steps:finish",  # orders (issue 4)
    "smsbot.complaints:close_by_sms",  # complaint tickets (issue 5)
]


def handle(ctx: Context, cmd: Command) -> None:
    if not cmd.args:
        ctx.say("need_code")
        return
    code = cmd.args[0].upper()
    for target in FINISHERS:
        module, _, function = target.partition(":")
        if getattr(import_module(module), function)(ctx, code, cmd):
            return
    ctx.say("unknown", code=code[:12])
