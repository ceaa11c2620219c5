"""LOKASI <place> [food words]: the 3 nearest shops, their distance, a short address and
whether they are open now. The place is a kelurahan (old names and spellings too), a
landmark or `lat,lon` (smsbot.search.places.find_place); food words keep only the shops that
sell it (the CARI index). Shops are found through a grid, never by scanning them all."""

from __future__ import annotations

import re

from smsbot.search import index as search_index
from smsbot.search.handlers.cari import SMS_LIMIT, cut_words, short_shop
from smsbot.search.nearby import distance_text, grid, is_open
from smsbot.search.places import find_place
from smsbot.search.words import parse_query
from smsbot.sms.command import Command
from smsbot.sms.context import Context

NEAREST = 3
_NUMBER = re.compile(r"\bNo\.?\s*", re.I)


def handle(ctx: Context, cmd: Command) -> None:
    if not cmd.rest.strip():
        ctx.say("need_place")
        return
    place, rest = find_place(cmd.rest)
    if place is None:
        ctx.say("unknown_place", place=cmd.rest.strip()[:30])
        return
    index = search_index.load(ctx.session)
    only = None
    food = ""
    query = parse_query(rest) if rest else None
    if query and (query.words or query.optional):
        food = rest[:30]
        only = index.shops_selling(query)
        if not only.any():
            ctx.say("no_shops", food=food, place=place.name)
            return
    near = grid(index).nearest(place.lat, place.lon, NEAREST, only)
    if not near:
        ctx.say("no_shops", food=food or "-", place=place.name)
        return
    key = "results_food" if food else "results"
    for level in (0, 1, 2, 3):
        lines = " ".join(_line(ctx, index, n, number, level, food)
                         for number, n in enumerate(near, 1))
        text = ctx.t(key, food=food.capitalize(), place=place.name, lines=lines)
        if len(text) <= SMS_LIMIT:
            break
    ctx.reply(text if len(text) <= SMS_LIMIT else text[:SMS_LIMIT - 3] + "...")


def _line(ctx: Context, index, near, number: int, level: int, food: str) -> str:
    shop = index.shop_names[near.shop]
    address = short_address(index.shop_address[near.shop])
    if level >= 1:
        shop, address = short_shop(shop, food), cut_words(address, 18)
    if level >= 2:
        shop, address = cut_words(shop, 14), cut_words(address, 12)
    if level >= 3:
        address = ""
    status = is_open(index.shop_hours[near.shop], ctx.now)
    parts = [f"{number}){shop}", distance_text(near.metres)]
    if address:
        parts.append(address)
    if status is not None:
        parts.append(ctx.t("open" if status else "closed"))
    return " ".join(parts)


def short_address(address: str) -> str:
    """'Jl. Tan Malaka No. 12' -> 'Jl Tan Malaka 12'."""
    return _NUMBER.sub("", address.replace("Jl. ", "Jl ")).strip()
