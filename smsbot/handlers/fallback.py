"""A message with no keyword: a search when it clearly names food (`galamai`, `brp harga
rendang telur`, `ada jual batiah?`), else the short help that lists the keywords."""

from ..context import Context
from ..router import Command
from ..search import index as search_index
from ..search.words import parse_query
from . import cari


def handle(ctx: Context, cmd: Command) -> None:
    if not cmd.text.strip():
        ctx.say("common.empty")
    elif names_food(ctx, cmd.text):
        cari.search_reply(ctx, cmd.text)
    else:
        ctx.say("common.help")


def names_food(ctx: Context, text: str) -> bool:
    """At least half of the meaningful words name a product or category we know."""
    words = parse_query(text).words
    if not words:
        return False
    index = search_index.load(ctx.session)
    food = sum(1 for word in words if index.is_food_word(word))
    return food > 0 and 2 * food >= len(words)
