"""`smsbot contacts add|list` (scripting contract) and `smsbot security`: the security log
for the admin (failed PINs, wrong phones, floods, cut reply loops) and the operator SMS that
were kept but not answered."""

from __future__ import annotations

import click
from sqlmodel import Session, col, select

from smsbot.clock import local, utcnow
from smsbot.contacts import directory as contacts
from smsbot.contacts.models import Contact
from smsbot.contacts.phones import normalize
from smsbot.messages.models import InboundMessage


@click.group("contacts")
def contacts_() -> None:
    """Buyers, sellers and admins (one contact per phone number)."""


@contacts_.command("add")
@click.argument("phone")
@click.option("--role", type=click.Choice(contacts.ROLES), required=True)
@click.option("--name", default=None, help="Display name.")
@click.option("--pin", default=None, help="PIN for privileged SMS commands (stored hashed).")
@click.pass_obj
def contacts_add(obj, phone: str, role: str, name: str | None, pin: str | None) -> None:
    """Add a contact, or change its role, name or PIN. PHONE: 0812..., 62812... or +62812..."""
    e164 = normalize(phone)
    if e164 is None:
        raise click.BadParameter(f"{phone!r} is not a phone number (e.g. 081234567890)",
                                 param_hint="PHONE")
    if pin is not None and not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise click.BadParameter("PIN must be 4 to 8 digits", param_hint="--pin")
    with Session(obj.engine) as session:
        contact = contacts.upsert(session, e164, utcnow(), role=role, name=name, pin=pin)
        session.commit()
        click.echo(f"{contact.phone} {contact.role} {contact.name}".rstrip())


@contacts_.command("list")
@click.option("--role", type=click.Choice(contacts.ROLES), default=None)
@click.pass_obj
def contacts_list(obj, role: str | None) -> None:
    """List contacts."""
    with Session(obj.engine) as session:
        query = select(Contact).order_by(Contact.role, Contact.phone)
        if role:
            query = query.where(Contact.role == role)
        interests = _interests(session)
        for contact in session.exec(query):
            optin = "promo" if contact.promo_opt_in else "-"
            follows = ", ".join(interests.get(contact.phone, []))
            click.echo(f"{contact.phone:16} {contact.role:7} {optin:6} {contact.name}"
                       + (f" ({contact.kelurahan})" if contact.kelurahan else "")
                       + (f" follows: {follows}" if follows else ""))


def _interests(session: Session) -> dict[str, list[str]]:
    """IKUTI interests by phone."""
    from smsbot.broadcasts.models import Follow

    found: dict[str, list[str]] = {}
    for follow in session.exec(select(Follow).order_by(Follow.id)):
        found.setdefault(follow.phone, []).append(follow.value)
    return found


@click.command("security")
@click.option("--kind", default=None,
              help="Only this kind: pin_failed, pin_locked, not_allowed, rate_limited, loop_guard.")
@click.option("--limit", default=50, show_default=True, help="Newest N events.")
@click.option("--ignored", is_flag=True,
              help="List SMS from operator IDs and short codes (kept, never answered) instead.")
@click.pass_obj
def security(obj, kind: str | None, limit: int, ignored: bool) -> None:
    """The security log (failed PINs, wrong phones, floods, cut reply loops), newest first,
    times in WIB."""
    from smsbot.contacts import security_log

    with Session(obj.engine) as session:
        if ignored:
            rows = session.exec(select(InboundMessage).where(InboundMessage.status == "ignored")
                                .order_by(col(InboundMessage.id).desc()).limit(limit)).all()
            for row in rows:
                click.echo(f"{local(row.received_at):%Y-%m-%d %H:%M} {row.sender:16} "
                           f"{row.text[:100]!r}")
            return
        for event in security_log.recent(session, limit, kind):
            click.echo(f"{local(event.at):%Y-%m-%d %H:%M} {event.phone:16} {event.kind:12} "
                       f"{event.detail}")
