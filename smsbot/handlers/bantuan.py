"""BANTUAN: the list of keywords, or the help of one keyword (`BANTUAN CARI`)."""

from ..context import Context
from ..router import Command


def handle(ctx: Context, cmd: Command) -> None:
    if cmd.args:
        keyword = ctx.grammar.keyword_for(cmd.args[0])
        if keyword:
            ctx.reply(ctx.grammar.usage(keyword, ctx.lang))
            return
    ctx.say("common.help")
