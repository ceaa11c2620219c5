"""What is answered: only an SMS a person wrote.

That is an SMS-DELIVER carrying text (GSM-7 or UCS-2) from a number we can reach. Everything
else the modem holds is stored and never answered, with a note saying why:

- a status report (answering one starts a reply -> report -> reply loop that burns credit;
  smsbot.messages.delivery records it on the outbox row instead),
- an SMS-SUBMIT left in storage (our own or a previous owner's outgoing SMS),
- binary SMS (8-bit data, WAP push, MMS notifications, ringtones ...),
- operator and service senders (alphanumeric IDs, short codes),
- a number without a country code that is not in Indonesian form. Gammu writes `+` for a
  number whose type is international; a foreign phone's number in its national form
  ("27838890001", "604865888") would become a +62 number that does not exist.
"""

from __future__ import annotations

import re

from smsbot.contacts.phones import normalize, sender_kind
from smsbot.modem.transport.base import BINARY, STATUS_REPORT, SUBMIT, TEXT, IncomingSMS

_WHY = {
    STATUS_REPORT: "status report",
    SUBMIT: "an outgoing SMS (SMS-SUBMIT) left in the modem's storage",
    BINARY: "binary SMS (8-bit data or WAP push; text kept as hex)",
}


def network_number(raw: str) -> str | None:
    """E.164 of a number as the network gave it, or None when it is not one we can reach:
    `+<country>...`, or Indonesian without the `+` (`0812...`, `62812...`)."""
    text = (raw or "").strip()
    if not text or re.search(r"[A-Za-z]", text):
        return None
    if not text.startswith(("+", "0", "62")):
        return None
    return normalize(text)


def why_not(sms: IncomingSMS) -> str:
    """Why `sms` is not answered ("" when it is a person's SMS to answer)."""
    if sms.kind != TEXT:
        return _WHY.get(sms.kind, f"{sms.kind} PDU")
    kind = sender_kind(sms.sender)
    if kind != "person":
        return f"{kind} sender"
    if network_number(sms.sender) is None:
        return "number without country code, not in Indonesian form"
    return ""
