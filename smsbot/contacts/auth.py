"""Privileged commands: who may run them. The one gate every such keyword goes through.

Sender numbers can be spoofed, so a phone alone proves little: seller commands need the
shop's registered phone, and anything that spends money or reaches many people (admin
commands, broadcasts) needs the admin's phone *and* the admin's PIN (stored hashed,
smsbot.contacts.directory.check_pin). Wrong PINs are counted per phone, across every admin
command; after PIN_MAX_FAILURES within PIN_WINDOW the PIN is locked for PIN_LOCK, even for
the right PIN. Every refusal goes to the security log. A handler uses it like this::

    def handle(ctx, cmd):
        if not auth.require_admin(ctx, cmd.name, cmd.args[0] if cmd.args else "", USAGE):
            return  # the sender has been told why
        ...

    if not auth.require_shop(ctx, shop, refusal="pesan.not_your_product", code=product.code):
        return

Each `require_*` returns True, or says why not (a reply on ctx), logs it and returns False.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from smsbot.catalog.models import Shop
from smsbot.clock import local, to_db
from smsbot.contacts import directory as contacts, security_log as security
from smsbot.sms import conversation as state
from smsbot.sms.context import Context

PIN_MAX_FAILURES = 3
PIN_WINDOW = timedelta(minutes=30)
PIN_LOCK = timedelta(hours=1)
FAILURES_KEY = "auth.pin_failures"
LOCK_KEY = "auth.pin_lock"


def require_seller(ctx: Context, keyword: str) -> bool:
    """Seller commands: the sender must be some shop's registered phone."""
    if ctx.session.exec(select(Shop.id).where(Shop.phone == ctx.sender)).first() is not None:
        return True
    _refuse(ctx, "not a shop's phone", "auth.not_seller", keyword=keyword,
            purpose=_purpose(ctx, keyword))
    return False


def require_shop(ctx: Context, *shops: Shop, refusal: str = "auth.not_allowed",
                 **values) -> bool:
    """Seller commands on a product or an order: only from the registered phone of (one of)
    the shop(s) it belongs to. `refusal` (a reply key) and `values` say what was refused."""
    if any(shop.phone == ctx.sender for shop in shops):
        return True
    codes = ",".join(shop.code for shop in shops) or "none"
    _refuse(ctx, f"not the phone of shop {codes}", refusal, **values)
    return False


def require_admin(ctx: Context, keyword: str, pin: str | None, usage: str) -> bool:
    """Admin commands: an admin contact, with its right PIN, not locked. `usage` is the
    command's own example, shown when the PIN is missing."""
    if ctx.contact.role != "admin":
        _refuse(ctx, f"role {ctx.contact.role}, needs admin", "auth.admin_only", keyword=keyword,
                purpose=_purpose(ctx, keyword))
        return False
    lock = state.get(ctx.session, ctx.sender, LOCK_KEY, ctx.now)
    if lock:
        _refuse(ctx, "tried while locked", "auth.pin_locked", kind="pin_locked",
                failures=lock["failures"], until=lock["until"])
        return False
    pin = (pin or "").strip()
    if not pin:
        ctx.say("auth.need_pin", usage=usage)
        return False
    if ctx.contact.pin_hash and contacts.check_pin(ctx.contact, pin):
        state.clear(ctx.session, ctx.sender, FAILURES_KEY)
        return True
    failures = (state.get(ctx.session, ctx.sender, FAILURES_KEY, ctx.now) or {}).get("n", 0) + 1
    if failures < PIN_MAX_FAILURES:
        state.put(ctx.session, ctx.sender, FAILURES_KEY, {"n": failures}, ctx.now, ttl=PIN_WINDOW)
        _refuse(ctx, f"wrong PIN ({failures} of {PIN_MAX_FAILURES})", "auth.pin_wrong",
                kind="pin_failed", left=PIN_MAX_FAILURES - failures,
                lock_minutes=int(PIN_LOCK.total_seconds() // 60))
        return False
    until = local(ctx.now + PIN_LOCK).strftime("%H:%M")
    state.put(ctx.session, ctx.sender, LOCK_KEY, {"failures": failures, "until": until},
              ctx.now, ttl=PIN_LOCK)
    state.clear(ctx.session, ctx.sender, FAILURES_KEY)
    security.record(ctx.session, ctx.sender, "pin_failed",
                    f"{ctx.namespace}: wrong PIN ({failures} of {PIN_MAX_FAILURES})", ctx.now)
    security.record(ctx.session, ctx.sender, "pin_locked",
                    f"locked until {to_db(ctx.now + PIN_LOCK).isoformat()}", ctx.now)
    ctx.say("auth.pin_locked", failures=failures, until=until)
    return False


def _purpose(ctx: Context, keyword: str) -> str:
    """What the command is for (grammar/auth.toml `for_<name>`), for someone it is not for:
    a buyer who copied an operator's "DISKON 30RIBU ..." should learn what it is, not how
    to type it."""
    key = f"auth.for_{keyword.lower()}"
    return ctx.t(key if key in ctx.grammar.replies.get("id", {}) else "auth.for_other")


def _refuse(ctx: Context, detail: str, reply: str, kind: str = "not_allowed", **values) -> None:
    security.record(ctx.session, ctx.sender, kind, f"{ctx.namespace}: {detail}", ctx.now)
    ctx.say(reply, **values)
