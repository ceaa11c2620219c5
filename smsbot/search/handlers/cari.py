"""CARI <words>: compare products, prices and shops. The list is remembered so that
`LAGI` and `PESAN 2` can refer to it (state "last_list": codes, offset, query).

The words are folded with grammar/synonyms.toml (randang talua = rendang telur, sanjay =
sanjai ...), matched typo-tolerantly against the in-memory index (smsbot.search.index),
and ranked best match first, then in stock, then cheaper (smsbot.search.results). A search
that finds nothing is recorded for `smsbot report searches` (smsbot.search.misses).
"""

from __future__ import annotations

import numpy as np

from smsbot.catalog.prices import short_price
from smsbot.search import live as search_index, misses
from smsbot.search.results import MAX_LIST, Row, decorate, find
from smsbot.search.words import fold_words, table
from smsbot.sms import conversation as state
from smsbot.sms.command import Command
from smsbot.sms.context import Context

PAGE = 3
SMS_LIMIT = 160


def handle(ctx: Context, cmd: Command) -> None:
    if not shop_products(ctx, cmd.rest):
        search_reply(ctx, cmd.rest)


def shop_products(ctx: Context, text: str) -> bool:
    """CARI <shop code> (from LOKASI or INFO): that shop's products, in stock and cheaper
    first, as a list LAGI and PESAN n work on. False when `text` is no shop code."""
    word = text.strip().upper()
    if not word or " " in word:
        return False
    index = search_index.load(ctx.session)
    shop = index.shop_at(word)
    if shop is None or word in index.by_code:
        return False
    rows = [Row(h.code, h.name, h.price, h.stock > 0, index.shop_names[shop], index.shop_ids[shop])
            for h in map(index.hit, np.flatnonzero(index.shop == shop).tolist()[:MAX_LIST])]
    if not rows:
        return False
    page, shown = render_page(ctx, rows[:PAGE], start=1, more=len(rows) > PAGE)
    state.put(ctx.session, ctx.sender, "last_list",
              {"codes": [r.code for r in rows], "offset": shown,
               "query": index.shop_names[shop][:40]}, ctx.now)
    ctx.reply(page)
    return True


def search_reply(ctx: Context, text: str, index=None) -> None:
    """Answer `text` as a search (CARI, or a keyword-less message that names food)."""
    query, rows, index = find(ctx.session, text, index=index)
    if not query.words and not query.optional:
        ctx.say("cari.need_words")
        return
    shown_query = query.text[:40]
    if not rows:
        misses.record(ctx.session, query, text, ctx.sender, ctx.now)
        suggestions = index.suggest(query.words + query.optional)
        if suggestions:
            ctx.say("cari.none_suggest", query=shown_query, words=", ".join(suggestions),
                    first=suggestions[0])
        else:
            ctx.say("cari.none", query=shown_query, words=table().default_suggest)
        return
    page, shown = render_page(ctx, rows[:PAGE], start=1, more=len(rows) > PAGE)
    state.put(ctx.session, ctx.sender, "last_list",
              {"codes": [r.code for r in rows], "offset": shown, "query": shown_query}, ctx.now)
    ctx.reply(page)


def render_page(ctx: Context, rows: list[Row], start: int, more: bool) -> tuple[str, int]:
    """Numbered lines `1)CODE name price shop` fitted into one SMS; returns the text and how
    many rows it shows. Long shop names are shortened only when the page would not fit."""
    rows = decorate(ctx.session, rows, ctx.now)
    for level in (0, 1, 2):
        lines = [_line(number, row, level) for number, row in enumerate(rows, start)]
        text = ctx.t("cari.more" if more else "cari.results", lines=" ".join(lines))
        if len(text) <= SMS_LIMIT:
            return text, len(rows)
    lines = []
    for number, row in enumerate(rows, start):
        candidate = " ".join(lines + [_line(number, row, 2)])
        if len(ctx.t("cari.more", lines=candidate)) > SMS_LIMIT and lines:
            break
        lines.append(_line(number, row, 2))
    more = more or len(lines) < len(rows)
    text = ctx.t("cari.more" if more else "cari.results", lines=" ".join(lines))
    return (text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 3] + "..."), len(lines)


def _line(number: int, row: Row, level: int) -> str:
    name, shop = row.name, row.shop
    if level >= 1:
        shop = short_shop(shop, name)
    if level >= 2:
        name, shop = cut_words(name, 22), cut_words(shop, 14)
    stock = "" if row.in_stock else " (habis)"
    rating = f" *{row.rating:.1f}" if row.rating is not None else ""
    return f"{number}){row.code} {name} {short_price(row.price)} {shop}{rating}{stock}"


def short_shop(shop: str, product: str) -> str:
    """'Rendang Amak Ida' next to 'Rendang Telur 250g' -> 'Amak Ida'; 'Pusat Oleh-Oleh Kota
    Randang' -> 'Kota Randang'. Words the product name already says, and filler, go."""
    filler = table().shop_filler
    words = [w for w in shop.split() if w.lower() not in filler and not set(fold_words(w)) <= filler]
    said = set(fold_words(product))
    kept = [w for w in words if not set(fold_words(w)) <= said]
    if len(kept) >= 2:
        return " ".join(kept)
    return " ".join(words[-2:]) if words else shop


def cut_words(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0]
    return cut if len(cut) >= width // 2 else text[:width]
