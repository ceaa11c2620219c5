"""Bad input gets a short help reply, never a traceback, and is never lost."""

import random

import pytest
from sqlmodel import Session, select

from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.sms import wiring
from smsbot.testing import Conversation

pytestmark = pytest.mark.backends

rng = random.Random(7)
JUNK = {
    "empty": "",
    "spaces": "   \t  ",
    "huge": "rendang " * 700,
    "binary": bytes(rng.randrange(256) for _ in range(300)).decode("latin-1"),
    "control": "\x00\x01\x02CARI\x1b[31m",
    "emoji": "😀😀😀 🍛",
    "mixed scripts": "ренданг 仁当 رندڠ",
    "format string": "{0} %s %n {lines} ${HOME}",
    "sql": "CARI '; DROP TABLE product; --",
    "template": "{{7*7}} {% for x in y %}",
}


@pytest.mark.parametrize("name", list(JUNK))
def test_junk_gets_a_plain_one_sms_answer(conversation, seeded, name):
    sent = conversation.send("081300000001", JUNK[name])
    assert len(sent) == 1, sent
    reply = sent[0]
    assert reply.to == "081300000001"
    assert reply.encoding == "gsm7" and reply.segments == 1
    assert "Traceback" not in reply.text and "Error" not in reply.text
    with Session(seeded) as session:
        stored = session.exec(select(InboundMessage)).all()
        assert [m.status for m in stored] == ["processed"]
        assert stored[0].note == ""


def test_empty_message_is_explained(conversation):
    assert conversation.replies("081300000001", "")[0].startswith("Pesan kosong.")


def test_sql_text_does_not_touch_the_catalog(conversation):
    conversation.send("081300000001", JUNK["sql"])
    assert conversation.replies("081300000001", "CARI GL01")[0].startswith("1)GL01")


def test_a_failing_handler_answers_politely_and_keeps_the_sms(seeded, monkeypatch):
    def explode(ctx, cmd):
        raise RuntimeError("database on fire")

    monkeypatch.setitem(wiring.HANDLERS, "cari", explode)
    conversation = Conversation(seeded)
    replies = conversation.replies("081300000001", "CARI rendang")
    assert replies == ["Maaf, ada gangguan. Pesan Anda tersimpan, coba lagi sebentar atau ketik BANTUAN."]
    with Session(seeded) as session:
        inbound = session.exec(select(InboundMessage)).one()
        assert inbound.status == "processed" and "database on fire" in inbound.note
        assert inbound.text == "CARI rendang"
        assert len(session.exec(select(OutboxMessage)).all()) == 1
