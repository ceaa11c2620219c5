"""The transport interface and the message it yields."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class TransportError(Exception):
    """A modem or network failure. `permanent` means retrying the same send is pointless
    (an invalid number), otherwise the outbox retries with backoff."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


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
