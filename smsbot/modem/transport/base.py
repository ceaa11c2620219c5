"""The transport interface and the message it yields."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class TransportError(Exception):
    """A modem or network failure.

    - `permanent`: retrying the same send is pointless (an invalid number or text); the
      outbox marks the row `failed` at once. Otherwise it retries with backoff.
    - `link`: the link to the modem failed (timeout, port gone, phone off, no SIM); the SMS
      in hand is not to blame, so the try is not charged to it. Implies `reconnect`.
    - `reconnect`: close the modem and open it again (with backoff) before the next call.
    - `maybe_sent` (a send only): the modem may have taken the SMS before the call failed (no
      answer came, the link broke mid-call, an earlier part went): the outcome is unknown.
      False means certainly not sent (the modem refused it with an error, or was never
      reached). The outbox sends a reply again but not a broadcast.
    """

    def __init__(self, message: str, *, permanent: bool = False, reconnect: bool = False,
                 link: bool = False, maybe_sent: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.link = link
        self.reconnect = reconnect or link
        self.maybe_sent = maybe_sent


# What a stored SMS is, as its PDU says (`IncomingSMS.kind`). Only TEXT, an SMS-DELIVER that
# carries GSM-7 or UCS-2 text, is something a person wrote; everything else is stored and
# never answered (answering a status report starts a reply -> report -> reply loop).
TEXT = "text"
STATUS_REPORT = "status_report"  # SMS-STATUS-REPORT: the network on an SMS we sent
SUBMIT = "submit"  # an outgoing SMS (SMS-SUBMIT) left in the device's storage
BINARY = "binary"  # 8-bit data, compressed text, or a UDH other than concatenation
# (WAP push, MMS notification, ringtones, logos, port addressing)
OTHER = "other"  # a PDU type Gammu names that is none of the above


@dataclass(frozen=True)
class DeliveryReport:
    """What a status report says about an SMS we sent."""

    reference: int  # the message reference (TP-MR) the modem gave that SMS when it sent it
    outcome: str  # delivered | failed | pending (the network still tries)
    at: datetime | None  # when it was delivered or given up (the discharge time)
    code: int = 0  # the TP-Status byte, for the record


@dataclass
class IncomingSMS:
    sender: str  # for a status report: the recipient of the SMS it reports on
    text: str
    sent_at: datetime | None = None  # the SMSC time stamp, when the device gives one
    smsc: str = ""
    parts: int = 1
    uid: str = ""  # what makes this SMS unique on its device (for dedupe)
    handle: Any = field(default=None, repr=False)  # device locations, for delete
    kind: str = TEXT  # TEXT | STATUS_REPORT | SUBMIT | BINARY | OTHER
    report: DeliveryReport | None = None  # for STATUS_REPORT

    def dedupe_key(self) -> str:
        """Same SMS read twice (a delete that failed) -> same key."""
        fields = [
            self.sender, self.sent_at.isoformat() if self.sent_at else "", self.smsc,
            str(self.parts), self.uid, self.text,
        ]
        if self.kind != TEXT:  # (a text SMS keeps the key it always had)
            report = self.report  # not its discharge time: the dummy modem does not keep it
            fields.append(f"{self.kind}:{report.reference}:{report.code}" if report else self.kind)
        basis = "\x1f".join(fields)
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


class Transport(Protocol):
    name: str

    def receive(self) -> list[IncomingSMS]: ...

    def delete(self, sms: IncomingSMS) -> None: ...

    def send(self, to: str, text: str, reference: int = 0) -> str: ...

    def close(self) -> None: ...
