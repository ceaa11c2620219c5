"""A message with no keyword: answer with the short help that lists the keywords."""

from ..context import Context
from ..router import Command


def handle(ctx: Context, cmd: Command) -> None:
    if not cmd.text.strip():
        ctx.say("common.empty")
    else:
        ctx.say("common.help")
