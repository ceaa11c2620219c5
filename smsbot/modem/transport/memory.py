"""An in-memory transport: a list in, a list out. For the core's tests and `smsbot chat`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from smsbot.modem.transport.base import IncomingSMS


@dataclass
class SentSMS:
    to: str
    text: str
    reference: int


class MemoryTransport:
    def __init__(self, name: str = "memory"):
        self.name = name
        self.inbox: list[IncomingSMS] = []
        self.sent: list[SentSMS] = []

    def inject(self, sender: str, text: str, sent_at: datetime | None = None) -> IncomingSMS:
        sms = IncomingSMS(sender=sender, text=text, sent_at=sent_at, uid=uuid.uuid4().hex)
        self.inbox.append(sms)
        return sms

    def receive(self) -> list[IncomingSMS]:
        return list(self.inbox)

    def delete(self, sms: IncomingSMS) -> None:
        self.inbox = [m for m in self.inbox if m is not sms]

    def send(self, to: str, text: str, reference: int = 0) -> str:
        self.sent.append(SentSMS(to, text, reference))
        return str(len(self.sent))

    def close(self) -> None:
        pass
