"""A message with no keyword: a search when it clearly names food (`galamai`, `brp harga
rendang telur`, `ada jual batiah?`), else the short help that lists the keywords."""

from smsbot.search import live as search_index
from smsbot.search.handlers import cari
from smsbot.search.words import parse_query
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    if not cmd.text.strip():
        ctx.say("common.empty")
        return
    words = parse_query(cmd.text).words
    index = search_index.load(ctx.session) if words else None
    if index is not None and names_food(index, words):
        cari.search_reply(ctx, cmd.text, index)
    else:
        ctx.say("common.help")


def names_food(index, words: list[str]) -> bool:
    """At least half of the meaningful words name a product or category we know."""
    food = sum(1 for word in words if index.is_food_word(word))
    return food > 0 and 2 * food >= len(words)
