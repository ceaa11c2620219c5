"""BAHASA / ENGLISH (`LANG EN`, `LANG ID`, `INGGRIS`, `INDONESIA`): the sender chooses the
language of our replies. The choice is kept on the contact and detection never changes it."""

from smsbot.sms import language
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    chosen = language.named(ctx.grammar, cmd)
    if chosen is None:
        ctx.reply(ctx.grammar.usage(cmd.keyword, ctx.lang))
        return
    language.choose(ctx.contact, chosen)
    ctx.say("chosen")
