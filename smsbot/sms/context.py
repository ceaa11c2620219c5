"""What a handler sees: the sender, the clock, the store, and a place to put replies.

Handlers never send. They collect replies here (RapidSMS style); the caller writes them to
the outbox in the same transaction as everything else the message changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlmodel import Session

from smsbot.contacts.models import Contact
from smsbot.sms.grammar import Grammar


@dataclass
class Reply:
    to: str  # E.164
    text: str
    kind: str = "reply"  # reply | notice | broadcast
    not_before: datetime | None = None


@dataclass(frozen=True)
class Timer:
    """Work that comes due by the clock (smsbot.sms.timers). `run(session, now)` does what is
    due by `now` and marks it done; `next_due(session)` is the moment the earliest work not yet
    done comes due, None when nothing waits: one indexed query over the waiting rows, so the
    loop can ask it often and run `run` only when something is due."""

    run: Callable[[Session, datetime], list[Reply]]
    next_due: Callable[[Session], datetime | None]

    def __call__(self, session: Session, now: datetime) -> list[Reply]:
        return self.run(session, now)


@dataclass
class Context:
    session: Session
    grammar: Grammar
    contact: Contact
    now: datetime  # aware, UTC
    namespace: str = "common"  # the running handler's reply namespace
    replies: list[Reply] = field(default_factory=list)

    @property
    def sender(self) -> str:
        return self.contact.phone

    @property
    def lang(self) -> str:
        return self.contact.language or "id"

    def t(self, key: str, lang: str | None = None, **values) -> str:
        """Render a reply template; `key` without a dot is the handler's own."""
        full = key if "." in key else f"{self.namespace}.{key}"
        return self.grammar.render(full, lang or self.lang, **values)

    def reply(self, text: str) -> None:
        self.replies.append(Reply(self.sender, text))

    def say(self, key: str, **values) -> None:
        self.reply(self.t(key, **values))

    def notify(self, phone: str, text: str, kind: str = "notice") -> None:
        """A message to someone other than the sender (a seller, the admin)."""
        self.replies.append(Reply(phone, text, kind))
