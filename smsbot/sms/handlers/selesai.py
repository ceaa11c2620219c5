"""SELESAI <code>: one keyword, several owners of codes (orders, complaint tickets).

Each owner is a function `(ctx, code, cmd) -> bool` that returns False when the code is not
one of its own; the first that returns True has answered.
"""

from __future__ import annotations

from smsbot.crm import tickets
from smsbot.orders import steps
from smsbot.sms.command import Command
from smsbot.sms.context import Context

# Each code owner, asked in this order.
FINISHERS = [
    steps.finish,  # orders
    tickets.close_by_sms,  # complaint tickets
]


def handle(ctx: Context, cmd: Command) -> None:
    if not cmd.args:
        ctx.say("need_code")
        return
    code = cmd.args[0].upper()
    for finish in FINISHERS:
        if finish(ctx, code, cmd):
            return
    ctx.say("unknown", code=code[:12])
