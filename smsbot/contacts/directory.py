"""Contacts: one row per E.164 number, created the first time someone texts us."""

from __future__ import annotations

import hashlib
import hmac
import os
from datetime import datetime
from itertools import chain

from sqlalchemy import inspect
from sqlmodel import Session, col, select

from smsbot.clock import to_db
from smsbot.contacts.models import Contact
from smsbot.store import txcache as tablecache

ROLES = ("buyer", "seller", "admin")


def find(session: Session, phone: str) -> Contact | None:
    """The contact of `phone`; each phone is looked up once per transaction (a complaint
    asks for the shop's and each admin's language, a batch for every sender's role)."""
    known_phones = tablecache.memo(session, _PRELOADED)
    known = known_phones.get(phone, _UNKNOWN)
    if known is None:
        return None  # looked up and absent: only get_or_create adds contacts
    if known is not _UNKNOWN and known in session:
        return known
    contact = session.exec(select(Contact).where(Contact.phone == phone)).first()
    known_phones[phone] = contact
    return contact


def language_of(session: Session, phone: str) -> str:
    """The language to write to `phone` in (a reply template's `lang`): its contact's,
    else Indonesian."""
    contact = find(session, phone)
    return (contact.language if contact else "") or "id"


def get_or_create(session: Session, phone: str, now: datetime) -> Contact:
    contact = find(session, phone)
    if contact is None:
        contact = Contact(phone=phone, created_at=to_db(now))
        session.add(contact)  # written by the next flush, with whatever else is pending
        tablecache.memo(session, _PRELOADED)[phone] = contact
    return contact


def preload(session: Session, phones) -> None:
    """Load the contacts of many phones in one query, for a batch of SMS answered in one
    session; `find` then answers from them (a deleted one is no longer in the session)."""
    cache = tablecache.memo(session, _PRELOADED)
    wanted = sorted({p for p in phones if p and p not in cache})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        cache.update(dict.fromkeys(chunk))  # None: no such contact (yet)
        for contact in session.exec(select(Contact).where(col(Contact.phone).in_(chunk))):
            cache[contact.phone] = contact


_PRELOADED = "smsbot.contacts.directory"  # tablecache.memo: {phone: Contact | None} looked up
_UNKNOWN = object()


def upsert(session: Session, phone: str, now: datetime, *, role: str | None = None,
           name: str | None = None, pin: str | None = None, promote_only: bool = False) -> Contact:
    """Add or update a contact. With `promote_only` (imports), an admin is never turned
    into a seller or a seller into a buyer."""
    contact = get_or_create(session, phone, now)
    if role:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not promote_only or ROLES.index(role) >= ROLES.index(contact.role):
            contact.role = role
    if name:
        contact.name = name
    if pin:
        contact.pin_hash = hash_pin(pin)
    session.add(contact)
    return contact


def hash_pin(pin: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, 100_000)
    return f"pbkdf2${salt.hex()}${digest.hex()}"


def check_pin(contact: Contact, pin: str) -> bool:
    try:
        _scheme, salt, digest = contact.pin_hash.split("$")
    except ValueError:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), 100_000)
    return hmac.compare_digest(candidate.hex(), digest)


def admin_phones(session: Session) -> list[str]:
    """The admins' numbers, read once per transaction (every complaint and promo asks); a flush of
    this session that adds, removes or changes an admin reads them again."""
    if _admin_change_pending(session):
        session.flush()  # what the query's autoflush did: pending role changes first
    memo = tablecache.memo(session, _ADMINS, drop_if=_admin_change_pending)
    phones = memo.get("phones")
    if phones is None:
        phones = memo["phones"] = tuple(session.exec(
            select(Contact.phone).where(Contact.role == "admin").order_by(Contact.phone)).all())
    return list(phones)


# tablecache.memo: admin phones read in this transaction, until a flush changes an admin
_ADMINS = "smsbot.contacts.directory.admins"


def _admin_change_pending(session) -> bool:
    """An admin added or removed, or a contact's role changed, in `session` (new senders,
    added as buyers by every batch, are not)."""
    changed = (obj for obj in session.dirty if isinstance(obj, Contact)
               and inspect(obj).attrs.role.history.has_changes())
    added_or_gone = (obj for obj in chain(session.new, session.deleted)
                     if isinstance(obj, Contact) and obj.role == "admin")
    return any(changed) or any(added_or_gone)
