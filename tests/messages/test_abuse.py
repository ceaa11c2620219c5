"""Abuse and cost: floods, operator senders, and the one gate every outgoing SMS passes (reply
loops: test_loop_guard.py; spoofed privileged commands: tests/contacts/test_auth.py)."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from smsbot.contacts.models import SecurityEvent
from smsbot.messages.gsm7 import is_gsm7
from smsbot.messages.limits import Limits
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.messages.outbox import enqueue
from smsbot.sms.context import Reply
from smsbot.testing import Conversation

from ..conftest import NOW, smsbot_here

TOO_MANY = ("Terlalu banyak pesan dari nomor Anda. Balasan kami hentikan sementara; pesan "
            "Anda tetap tersimpan. Coba lagi nanti.")
FOODS = ["rendang", "galamai", "sanjai", "pisang", "kalamai", "dakak", "keripik", "telur",
         "bika", "lamang", "kue", "talua", "gulai", "kopi"]


@pytest.fixture
def conversation(seeded):
    """These transcripts run under the daemon's default limits (10 per 10 min, 60 a day)."""
    return Conversation(seeded, limits=Limits())


def events(engine, kind):
    with Session(engine) as session:
        return session.exec(select(SecurityEvent).where(SecurityEvent.kind == kind)).all()


def test_eleventh_sms_in_ten_minutes_gets_one_notice_then_silence(conversation, seeded):
    for food in FOODS[:10]:
        assert len(conversation.replies("081300000001", f"CARI {food}")) == 1
        conversation.advance(seconds=30)
    assert conversation.replies("081300000001", "CARI kopi") == [TOO_MANY]
    assert conversation.replies("081300000001", "CARI gulai") == []
    assert conversation.replies("081300000001", "BANTUAN") == []
    # someone else is not affected
    assert len(conversation.replies("081300000002", "CARI rendang")) == 1
    conversation.advance(minutes=10)
    assert conversation.replies("081300000001", "CARI galamai")[0].startswith("1)")
    with Session(seeded) as session:
        limited = session.exec(select(InboundMessage).where(
            InboundMessage.note.startswith("limited"))).all()
        assert [m.note for m in limited] == ["limited: notice sent", "limited: not answered",
                                             "limited: not answered"]
    assert len(events(seeded, "rate_limited")) == 3


def test_daily_limit(seeded):
    conversation = Conversation(seeded, limits=Limits(per_window=100, per_day=3))
    for food in FOODS[:3]:
        assert conversation.replies("081300000001", f"CARI {food}")
        conversation.advance(hours=2)
    assert conversation.replies("081300000001", "CARI telur") == [TOO_MANY]
    conversation.advance(hours=3)
    assert conversation.replies("081300000001", "CARI bika") == []
    conversation.advance(hours=20)
    assert conversation.replies("081300000001", "CARI bika")


def test_limits_from_the_environment():
    assert Limits.from_env({"SMSBOT_REPLY_LIMITS": "5/1m,20/12h", "SMSBOT_LOOP_WINDOW": "2m"}) == \
        Limits(per_window=5, window=timedelta(minutes=1), per_day=20, day=timedelta(hours=12),
               loop_window=timedelta(minutes=2))
    assert Limits.from_env({"SMSBOT_REPLY_LIMITS": "off"}).per_window == 0
    with pytest.raises(ValueError):
        Limits.from_env({"SMSBOT_REPLY_LIMITS": "lots"})


def test_operator_ids_and_short_codes_are_never_answered(conversation, seeded):
    conversation.check("""
        TELKOMSEL > Promo paket data 10GB, balas YA
        TELKOMSEL <!
        3636 > Sisa pulsa Anda Rp 1.000
        3636 <!
        +62811 > Info
        +62811 <!
    """)
    with Session(seeded) as session:
        stored = session.exec(select(InboundMessage)).all()
        assert [m.status for m in stored] == ["ignored"] * 3
        assert session.exec(select(OutboxMessage)).all() == []


# -- the outgoing gate ---------------------------------------------------------------------
def test_every_outgoing_text_is_gsm7_and_at_most_two_segments(seeded):
    long = "Daftar toko: " + " ".join(f"Toko-{n} Rendang “Uni” – 25rb ✅" for n in range(60))
    with Session(seeded) as session:
        enqueue(session, Reply("+6281300000001", long), NOW)
        enqueue(session, Reply("+6281300000001", "x" * 400), NOW)
        session.commit()
        rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert all(is_gsm7(r.text) and r.encoding == "gsm7" and r.segments <= 2 for r in rows)
    first = [r.text for r in rows[:3]]
    assert len(first) == 3 and first[0].endswith(" (1/3)") and first[2].endswith("... (3/3)")
    assert '"Uni" - 25rb' in first[0]  # transliterated, emoji dropped
    assert [r.text[-6:] for r in rows[3:]] == [" (1/2)", " (2/2)"]


def test_the_admin_reads_the_security_log(conversation, seeded, cli_env):
    import subprocess

    cli_env["SMSBOT_DB"] = str(seeded.url)
    for _ in range(3):  # the third identical SMS with the same answer is a loop
        conversation.send("081300000001", "BANTUAN")
    conversation.send("TELKOMSEL", "Promo 10GB")
    log = subprocess.run(["smsbot", "security"], env=cli_env, capture_output=True, text=True)
    assert log.returncode == 0, log.stderr
    assert "+6281300000001   loop_guard" in log.stdout
    ignored = smsbot_here(cli_env, "security", "--ignored")
    assert "TELKOMSEL" in ignored.stdout and "Promo 10GB" in ignored.stdout
