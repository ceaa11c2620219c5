"""LAGI: the next page of the sender's last CARI list."""

from __future__ import annotations

from smsbot.catalog.lookup import product_by_code
from smsbot.search.handlers.cari import PAGE, render_page
from smsbot.search.results import Row
from smsbot.sms import conversation as state
from smsbot.sms.command import Command
from smsbot.sms.context import Context


def handle(ctx: Context, cmd: Command) -> None:
    last = state.get(ctx.session, ctx.sender, "last_list", ctx.now)
    if not last:
        ctx.say("nothing")
        return
    codes, offset = last["codes"], last["offset"]
    if offset >= len(codes):
        ctx.say("end", query=last.get("query", ""))
        return
    rows = [Row(p.code, p.name, p.price_idr, p.stock > 0, s.name, s.id)
            for code in codes[offset:offset + PAGE] if (found := product_by_code(ctx.session, code))
            for p, s in [found]]
    text, shown = render_page(ctx, rows, start=offset + 1, more=offset + PAGE < len(codes))
    last["offset"] = offset + max(shown, 1)
    state.put(ctx.session, ctx.sender, "last_list", last, ctx.now)
    ctx.reply(text)
