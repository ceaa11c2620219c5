"""BANTUAN: the list of keywords, or the help of one keyword (`BANTUAN CARI`)."""

from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    if cmd.args:
        keyword = ctx.grammar.keyword_for(cmd.args[0])
        if keyword:
            ctx.reply(ctx.grammar.usage(keyword, ctx.lang))
            return
    ctx.say("common.help")
