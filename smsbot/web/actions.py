"""Web changes go through the SMS core: one set of rules for both channels.

A button on the dashboard becomes the SMS its user would have sent (`TERIMA AB12CD`), run by
`core.handle_message` as that user's phone. Replies addressed to the user are shown on the
page instead of costing them an SMS; messages to anyone else (the buyer, a seller) go to the
outbox in the same transaction, exactly as if the command had come by SMS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from smsbot.messages import outbox
from smsbot.sms import core, grammar as grammar_module


def run_command(engine: Engine, phone: str, text: str, now: datetime) -> list[str]:
    """Run `text` as an SMS from `phone` (E.164); returns the texts meant for `phone`."""
    grammar = grammar_module.load()
    with Session(engine) as session:
        replies = core.handle_message(phone, text, now, session, grammar)
        mine = []
        for reply in replies:
            if reply.to == phone:
                mine.append(reply.text)
            else:
                outbox.enqueue(session, reply, now)
        session.commit()
    return mine
