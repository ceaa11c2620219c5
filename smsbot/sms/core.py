"""The pure core: `(sender, text, now, session) -> replies`.

No modem, no thread, no sleep. The caller owns the transaction and writes the replies to
the outbox; the daemon and `smsbot chat` call exactly this function.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from smsbot.contacts import directory as contacts
from smsbot.contacts.phones import normalize
from smsbot.sms import grammar as grammar_module, language, wiring
from smsbot.sms.command import parse
from smsbot.sms.context import Context, Reply
from smsbot.sms.grammar import Grammar


def handle_message(sender: str, text: str, now: datetime, session: Session,
                   grammar: Grammar | None = None) -> list[Reply]:
    """Answer one SMS. Senders that are not people (alphanumeric IDs, short codes) get
    nothing: answering an operator's promo can start a loop that burns credit."""
    phone = normalize(sender)
    if phone is None:
        return []
    grammar = grammar or grammar_module.load()
    new = contacts.find(session, phone) is None
    contact = contacts.get_or_create(session, phone, now)
    command = parse(text, grammar)
    language.follow(contact, command, grammar, new)  # before the handler: its replies follow
    if command.keyword:
        handler = wiring.HANDLERS[command.keyword.handler]
        namespace = command.keyword.handler
    else:
        handler = wiring.HANDLERS["fallback"]
        namespace = "fallback"
    ctx = Context(session=session, grammar=grammar, contact=contact, now=now, namespace=namespace)
    result = handler(ctx, command)
    if isinstance(result, str):
        ctx.reply(result)
    elif isinstance(result, (list, tuple)):
        for text_ in result:
            ctx.reply(text_)
    return ctx.replies


def error_reply(sender: str, grammar: Grammar | None = None, lang: str = "id") -> list[Reply]:
    """What the sender gets when a handler failed: their SMS is kept, nothing is lost."""
    phone = normalize(sender)
    if phone is None:
        return []
    grammar = grammar or grammar_module.load()
    return [Reply(phone, grammar.render("common.error", lang))]
