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
    """

    def __init__(self, message: str, *, permanent: bool = False, reconnect: bool = False,
                 link: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.link = link
        self.reconnect = reconnect or link


@dataclass
class IncomingSMS:
    sender: str
    text: str
    sent_at: datetime | None = None  # the SMSC time stamp, when the device gives one
    smsc: str = ""
    parts: int = 1
    uid: str = ""  # what makes this SMS unique on its device (for dedupe)
    handle: Any = field(default=None, repr=False)  # device locations, for delete

    def dedupe_key(self) -> str:
        """Same SMS read twice (a delete that failed) -> same key."""
        basis = "\x1f".join([
            self.sender, self.sent_at.isoformat() if self.sent_at else "", self.smsc,
            str(self.parts), self.uid, self.text,
        ])
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


class Transport(Protocol):
    name: str

    def receive(self) -> list[IncomingSMS]: ...

    def delete(self, sms: IncomingSMS) -> None: ...

    def send(self, to: str, text: str, reference: int = 0) -> str: ...

    def close(self) -> None: ...
