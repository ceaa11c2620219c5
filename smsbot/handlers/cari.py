"""CARI <words>: compare products, prices and shops. The list is remembered so that
`LAGI` and `PESAN 2` can refer to it."""

from __future__ import annotations

import re

from .. import state
from ..catalog import simple_search
from ..context import Context
from ..prices import short_price
from ..reviews import shop_ratings
from ..router import Command

PAGE = 3
SMS_LIMIT = 160
_WORD = re.compile(r"[\w-]+")


def handle(ctx: Context, cmd: Command) -> None:
    words = [w.lower() for w in _WORD.findall(cmd.rest)][:8]
    if not words:
        ctx.say("need_words")
        return
    results = simple_search(ctx.session, words)
    if not results:
        ctx.say("none", query=" ".join(words)[:40])
        return
    text, shown = render_page(ctx, results[:PAGE], start=1, more=len(results) > PAGE)
    codes = [product.code for product, _shop in results]
    state.put(ctx.session, ctx.sender, "last_list", {"codes": codes, "offset": shown,
                                                     "query": " ".join(words)}, ctx.now)
    ctx.reply(text)


def render_page(ctx: Context, rows, start: int, more: bool) -> tuple[str, int]:
    """Numbered lines `1)CODE name price shop` fitted into one SMS; returns the text and
    how many rows it shows."""
    lines: list[str] = []
    ratings = shop_ratings(ctx.session, {shop.id for _product, shop in rows})
    for number, (product, shop) in enumerate(rows, start):
        stock = "" if product.stock > 0 else " (habis)"
        rating = f" *{ratings[shop.id]:.1f}" if shop.id in ratings else ""
        line = f"{number}){product.code} {product.name} {short_price(product.price_idr)} {shop.name}{rating}{stock}"
        candidate = _join(lines + [line])
        if len(ctx.t("cari.more", lines=candidate)) > SMS_LIMIT and lines:
            more = True
            break
        lines.append(line)
    text = ctx.t("cari.more" if more else "cari.results", lines=_join(lines))
    return (text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 3] + "..."), len(lines)


def _join(lines: list[str]) -> str:
    return " ".join(lines)
