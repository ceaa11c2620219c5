"""BANTUAN: the buyers' list of keywords; `BANTUAN PENJUAL` (TOKO, HELP SELLER) the sellers'
and `BANTUAN ADMIN` the admin's (the keywords with that `role` in grammar/keywords); or the help
of one keyword (`BANTUAN CARI`). Each list is one SMS, built from the keywords' `menu` entries."""

from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    if cmd.args:
        word = cmd.args[0].upper()
        menus = ctx.grammar.data.get("menus", {}).get("roles", {})
        role = next((role for role, words in menus.items() if word in words), None)
        if role:
            ctx.say(role, commands=ctx.grammar.menu(ctx.lang, role))
            return
        keyword = ctx.grammar.keyword_for(word)
        if keyword:
            ctx.reply(ctx.grammar.usage(keyword, ctx.lang))
            return
    ctx.say("common.help")
