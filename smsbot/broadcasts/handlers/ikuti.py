"""IKUTI <shop code | product code | shop name | food word>: an interest that `--to shop:CODE`
and `--to follows:WORD` broadcasts reach. Without arguments: what the sender follows. Following
does not opt in by itself (the buyer says DAFTAR for that). Only a known shop or the
catalog's food can be followed: an operator's promo ("Ikuti JobFairActive ...") gets what
can be followed, not a follow of its words."""

from __future__ import annotations

from sqlmodel import select

from smsbot.broadcasts.models import Follow
from smsbot.catalog.lookup import product_by_code
from smsbot.catalog.models import Shop
from smsbot.clock import to_db
from smsbot.crm.shop_match import food_words, shop_named, tokens
from smsbot.search.places import fold
from smsbot.sms.command import Command
from smsbot.sms.context import Context

MAX_WORDS = 5  # longer is a sentence (an operator's promo), not a name to follow


def handle(ctx: Context, cmd: Command) -> None:
    session = ctx.session
    if not cmd.args:
        follows = session.exec(select(Follow).where(Follow.phone == ctx.sender).order_by(Follow.id)).all()
        if not follows:
            ctx.say("none")
        else:
            ctx.say("list", items=", ".join(f.value for f in follows)[:100])
        return
    hint = "" if ctx.contact.promo_opt_in else ctx.t("hint_optin")
    word = cmd.args[0].upper()
    shop = session.exec(select(Shop).where(Shop.code_key == word)).first()
    if shop is None and len(cmd.args) == 1 and (found := product_by_code(session, word)):
        shop = found[1]
    short = len(tokens(cmd.rest)) <= MAX_WORDS
    if shop is None and short:
        shop = shop_named(session, cmd.rest)
    if shop is not None:
        _follow(ctx, "shop", shop.code_key)
        ctx.say("shop", shop=shop.name[:60], code=shop.code, hint=hint)
        return
    food = food_words(session, cmd.rest) if short else []
    if not food:
        ctx.say("unknown")
        return
    words = " ".join(food)[:40]
    _follow(ctx, "word", fold(words))
    ctx.say("word", word=words, hint=hint)


def _follow(ctx: Context, kind: str, value: str) -> None:
    exists = ctx.session.exec(select(Follow).where(
        Follow.phone == ctx.sender, Follow.kind == kind, Follow.value == value)).first()
    if exists is None:
        ctx.session.add(Follow(phone=ctx.sender, kind=kind, value=value, created_at=to_db(ctx.now)))
