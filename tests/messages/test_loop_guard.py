"""The loop guard: a person who asks twice (our reply was late) gets the answer twice; the third
identical SMS with the same answer within 10 minutes, and an auto-responder, get silence."""

import pytest
from sqlmodel import Session, select

from smsbot.contacts.models import SecurityEvent
from smsbot.messages.limits import Limits
from smsbot.messages.models import InboundMessage
from smsbot.testing import Conversation

RENDANG = ("1)RU02 Rendang Ubi 250g 11rb Uni Yet 2)RJ02 Rendang Jagung 250g 11.500 Uda Rajo "
           "3)RJ01 Rendang Jagung 250g 12rb Talua Mak Etek")
HELP_EN = ("Payakumbuh UMKM SMS. Send: CARI <food>, LOKASI <place>, PESAN <code> <qty>, INFO <shop>, STATUS, "
           "KELUHAN, NILAI, BAHASA, HELP. Sellers: HELP SELLER")


@pytest.fixture
def shared(reader_engine):
    """The daemon's default limits on the module's seeded database (each test its own numbers)."""
    return Conversation(reader_engine, limits=Limits())


@pytest.mark.backends
def test_asking_twice_is_answered_the_third_time_is_silence(seeded):
    conversation = Conversation(seeded, limits=Limits())
    conversation.check(f"""
        081300000001 > CARI rendang
        081300000001 < {RENDANG} Ketik LAGI utk berikutnya
        081300000001 > CARI rendang
        081300000001 < {RENDANG} Ketik LAGI utk berikutnya
        081300000001 > CARI rendang
        081300000001 <! (the third time: a loop, not a person)
        081300000001 > cari  Rendang
        081300000001 <!
        081300000001 > BANTUAN
        081300000001 <~ Payakumbuh UMKM SMS
    """)
    conversation.advance(minutes=11)
    assert conversation.replies("081300000001", "CARI rendang")[0].startswith(RENDANG)
    with Session(seeded) as session:
        notes = [m.note for m in session.exec(select(InboundMessage).order_by(InboundMessage.id))]
        logged = session.exec(select(SecurityEvent).where(SecurityEvent.kind == "loop_guard")).all()
    assert notes[:4] == ["", "", "loop guard: same text and answer as inbound 2",
                         "loop guard: same text and answer as inbound 2"]
    assert len(logged) == 2


def test_a_visitor_asking_twice_is_answered_twice_in_english(shared):
    visitor = "+6591234500"
    shared.check(f"""
        {visitor} > hi
        {visitor} < {HELP_EN}
        {visitor} > hi
        {visitor} < {HELP_EN}
        {visitor} > hi
        {visitor} <!
        {visitor} > CARI rendang
        {visitor} < {RENDANG} Send LAGI for more
        {visitor} > CARI rendang
        {visitor} < {RENDANG} Send LAGI for more
    """)


def test_paging_is_never_a_loop_and_a_dropped_repeat_changes_nothing(shared):
    buyer = "081300000041"
    assert shared.replies(buyer, "CARI rendang telur")[0].startswith("1)")
    assert shared.replies(buyer, "CARI rendang telur")[0].startswith("1)")  # asked again: answered
    assert shared.replies(buyer, "LAGI")[0].startswith("4)")
    assert shared.replies(buyer, "CARI rendang telur") == []  # the third: dropped, rolled back
    assert shared.replies(buyer, "LAGI")[0].startswith("7)")  # the list was not reset


def test_an_auto_responder_repeating_one_text_gets_two_answers(shared):
    answers = [shared.replies("081355500000", "Pesan Anda sudah kami terima. Terima kasih.")
               for _ in range(20)]
    assert [len(a) for a in answers] == [1, 1] + [0] * 18


def test_an_auto_responder_echoing_our_reply_is_cut_off(shared):
    """It sends back whatever we sent it; we answer its echo, and then stop."""
    for bot, first in (("081355500001", "halo"), ("+6591234501", "hello")):
        text, answered = first, 0
        for _ in range(20):
            replies = shared.replies(bot, text)
            answered += len(replies)
            text = replies[-1] if replies else text  # silence: it repeats its last SMS
        assert answered <= 3, (bot, answered)
