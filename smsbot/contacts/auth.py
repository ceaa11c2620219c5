"""Privileged commands: who may run them.

Sender numbers can be spoofed, so a phone alone proves little: seller commands need the
shop's registered phone, and anything that spends money or reaches many people (admin
commands, broadcasts) needs the admin's phone *and* the admin's PIN (stored hashed,
smsbot.contacts.directory.check_pin). Wrong PINs are counted per phone; after PIN_MAX_FAILURES within
PIN_WINDOW the PIN is locked for PIN_LOCK, even for the right PIN. Every refusal goes to the
security log. A handler uses it like this::

    def handle(ctx, cmd):
        pin = cmd.args[0] if cmd.args else ""
        if not auth.require_admin(ctx, pin, usage="SIARAN <PIN> <pesan>"):
            return  # the sender has been told why
        ...

Each `require_*` returns True, or says why not (a reply on ctx) and returns False.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from smsbot.clock import local, to_db
from smsbot.contacts import directory as contacts, security_log as security
from smsbot.sms import conversation as state
from smsbot.sms.context import Context

PIN_MAX_FAILURES = 3
PIN_WINDOW = timedelta(minutes=30)
PIN_LOCK = timedelta(hours=1)
FAILURES_KEY = "auth.pin_failures"
LOCK_KEY = "auth.pin_lock"


def require_phone(ctx: Context, phone: str, what: str = "") -> bool:
    """Only `phone` (E.164; a shop's registered phone) may do this."""
    if ctx.sender == phone:
        return True
    _refuse(ctx, "not_allowed", f"{ctx.namespace}: {what or 'needs ' + phone}")
    return False


def require_shop(ctx: Context, shop) -> bool:
    """Seller commands: only from the shop's registered phone."""
    return require_phone(ctx, shop.phone, f"shop {shop.code}")


def require_role(ctx: Context, *roles: str) -> bool:
    if ctx.contact.role in roles:
        return True
    _refuse(ctx, "not_allowed", f"{ctx.namespace}: role {ctx.contact.role}, needs {'/'.join(roles)}")
    return False


def require_admin(ctx: Context, pin: str | None, usage: str = "") -> bool:
    """Admin commands: the admin's phone and the right PIN, not locked."""
    if not require_role(ctx, "admin"):
        return False
    return require_pin(ctx, pin, usage)


def require_pin(ctx: Context, pin: str | None, usage: str = "") -> bool:
    """The sender's own PIN (any contact with one), rate-limited."""
    lock = state.get(ctx.session, ctx.sender, LOCK_KEY, ctx.now)
    if lock:
        _refuse(ctx, "pin_locked", f"{ctx.namespace}: tried while locked", reply=False)
        ctx.say("auth.pin_locked", failures=lock["failures"], until=lock["until"])
        return False
    pin = (pin or "").strip()
    if not pin:
        ctx.say("auth.need_pin", usage=usage or ctx.namespace.upper())
        return False
    if ctx.contact.pin_hash and contacts.check_pin(ctx.contact, pin):
        state.clear(ctx.session, ctx.sender, FAILURES_KEY)
        return True
    failures = (state.get(ctx.session, ctx.sender, FAILURES_KEY, ctx.now) or {}).get("n", 0) + 1
    security.record(ctx.session, ctx.sender, "pin_failed",
                    f"{ctx.namespace}: wrong PIN ({failures} of {PIN_MAX_FAILURES})", ctx.now)
    if failures >= PIN_MAX_FAILURES:
        until = local(ctx.now + PIN_LOCK).strftime("%H:%M")
        state.put(ctx.session, ctx.sender, LOCK_KEY, {"failures": failures, "until": until},
                  ctx.now, ttl=PIN_LOCK)
        state.clear(ctx.session, ctx.sender, FAILURES_KEY)
        security.record(ctx.session, ctx.sender, "pin_locked",
                        f"locked until {to_db(ctx.now + PIN_LOCK).isoformat()}", ctx.now)
        ctx.say("auth.pin_locked", failures=failures, until=until)
        return False
    state.put(ctx.session, ctx.sender, FAILURES_KEY, {"n": failures}, ctx.now, ttl=PIN_WINDOW)
    ctx.say("auth.pin_wrong", left=PIN_MAX_FAILURES - failures,
            lock_minutes=int(PIN_LOCK.total_seconds() // 60))
    return False


def pin_locked(ctx: Context, now: datetime | None = None) -> bool:
    return state.get(ctx.session, ctx.sender, LOCK_KEY, now or ctx.now) is not None


def _refuse(ctx: Context, kind: str, detail: str, reply: bool = True) -> None:
    security.record(ctx.session, ctx.sender, kind, detail, ctx.now)
    if reply:
        ctx.say("auth.not_allowed")
