"""TOLAK [code] <alasan>: the shop refuses its sub-order; the buyer is told why. Without
a code: the shop's only order waiting for an answer."""

from __future__ import annotations

from smsbot.catalog.models import Shop
from smsbot.contacts.directory import language_of
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, SubOrder
from smsbot.orders.steps import named_code, seller_step, tell_buyer
from smsbot.sms.command import Command
from smsbot.sms.context import Context

MAX_REASON = 60


def handle(ctx: Context, cmd: Command) -> None:
    def refuse(ctx: Context, order: Order, sub: SubOrder, shop: Shop) -> bool:
        # `TOLAK AB3CD4 stok habis` or, for the shop's only waiting order, `TOLAK stok habis`
        words = cmd.rest.split(None, 1) if named_code(cmd, order) else ["", cmd.rest]
        reason = " ".join(words[1].split())[:MAX_REASON] if len(words) > 1 else ""
        orders.refuse(ctx.session, sub, reason, ctx.now)
        tell_buyer(ctx, order, "tolak.buyer", shop=shop.name[:30],
                   reason=reason or ctx.t("no_reason", lang=language_of(ctx.session, order.buyer_phone)))
        return True

    seller_step(ctx, cmd, ("pending",), refuse)
