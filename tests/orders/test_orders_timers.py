"""Order timers on the simulated clock: 30 min draft expiry, 2 h seller reminder, 24 h
auto-cancel; they survive a restart and run in `smsbot chat` with `at` lines."""

import json
from datetime import timedelta

import pytest
from sqlmodel import Session

from smsbot.orders import rules as orders
from smsbot.sms import core
from smsbot.testing import Conversation
from tests.conftest import NOW, smsbot_here

BUYER = "081300000001"
EMI = "081266104512"  # RDG1, sells RT01


@pytest.fixture
def fixed_codes(monkeypatch):
    queue = ["AB3CD4", "EF5GH6", "JK7MN8"]
    monkeypatch.setattr(orders, "new_code", lambda: queue.pop(0))


def order_status(engine, code):
    with Session(engine) as session:
        order = orders.find(session, code)
        return order.status, [sub.status for sub, _ in orders.parts(session, order)]


def test_unconfirmed_order_expires_after_30_minutes(conversation, seeded, fixed_codes):
    conversation.send(BUYER, "PESAN RT01 2")
    assert conversation.advance(minutes=29) == []
    assert order_status(seeded, "AB3CD4") == ("draft", ["pending"])
    assert conversation.advance(minutes=2) == []  # nothing was reserved: no SMS needed
    assert order_status(seeded, "AB3CD4") == ("expired", ["pending"])
    conversation.check(f"""
        {BUYER} > YA
        {BUYER} < Pesanan AB3CD4 kedaluwarsa (30 mnt tanpa YA), tidak ada yg dipesan. Pesan lagi: PESAN <kode> <jumlah>
        {EMI} <!
        {BUYER} > ANTAR Jl. Sudirman 5
        {BUYER} <~ kedaluwarsa
        {BUYER} > STATUS
        {BUYER} < AB3CD4 kedaluwarsa: Rendang Uni Emi menunggu penjual 50rb. Total 50rb
    """)


def test_ya_just_after_the_deadline_is_refused_even_before_the_timer_runs(seeded, fixed_codes):
    with Session(seeded) as session:
        core.handle_message(BUYER, "PESAN RT01 1", NOW, session)
        replies = core.handle_message(BUYER, "YA", NOW + timedelta(minutes=30), session)
        assert replies[0].text.startswith("Pesanan AB3CD4 kedaluwarsa")
        assert [r.to for r in replies] == ["+6281300000001"]


def test_reminder_after_2_hours_then_cancel_after_24(conversation, seeded, fixed_codes):
    conversation.send(BUYER, "PESAN RT01 2")
    conversation.send(BUYER, "YA")  # 10:00 WIB
    assert conversation.advance(hours=1, minutes=59) == []
    conversation.check(f"""
        @ 2026-11-27T12:00
        {EMI} < Pengingat: pesanan AB3CD4 (50rb) belum dijawab. Balas TERIMA AB3CD4 atau TOLAK AB3CD4 <alasan>. Batal otomatis 28/11 10:00 WIB
        @ 2026-11-27T18:00
        @ 2026-11-28T09:59
        @ 2026-11-28T10:00
        {BUYER} < Maaf, Rendang Uni Emi tidak menjawab pesanan AB3CD4 dlm 24 jam; bagian itu dibatalkan. Cari toko lain: CARI <makanan>
        {EMI} < Pesanan AB3CD4 dibatalkan otomatis: tidak dijawab dalam 24 jam.
        {EMI} > TERIMA AB3CD4
        {EMI} < Pesanan AB3CD4 sudah dibatalkan; TERIMA hanya utk pesanan yg menunggu.
    """)
    assert order_status(seeded, "AB3CD4") == ("cancelled", ["cancelled"])
    assert conversation.advance(days=2) == []


def test_answered_orders_get_no_reminder(conversation, seeded, fixed_codes):
    conversation.send(BUYER, "PESAN RT01 2 RT02 1")
    conversation.send(BUYER, "YA")
    conversation.send(EMI, "TERIMA AB3CD4")
    sent = conversation.advance(hours=2)
    assert [(s.to, s.text[:18]) for s in sent] == [("081374552190", "Pengingat: pesanan")]
    sent = conversation.advance(hours=22)
    assert sorted(s.to for s in sent) == ["081300000001", "081374552190"]
    assert order_status(seeded, "AB3CD4") == ("confirmed", ["accepted", "cancelled"])


def test_timers_survive_a_restart_and_catch_up_once(seeded, fixed_codes):
    first = Conversation(seeded, start="2026-11-27T10:00:00")
    first.send(BUYER, "PESAN RT01 2")
    first.send(BUYER, "YA")
    # the daemon is down for 30 hours; a new one starts with an empty memory
    second = Conversation(seeded, start="2026-11-28T16:00:00")
    sent = second.flush()
    texts = sorted(s.text[:30] for s in sent)
    assert texts == ["Maaf, Rendang Uni Emi tidak me", "Pesanan AB3CD4 dibatalkan otom"]
    assert second.flush() == [] and second.advance(hours=5) == []


def test_timers_in_smsbot_chat_with_at_lines(cli_env):
    assert smsbot_here(cli_env, "db", "seed").returncode == 0
    events = [
        {"from": BUYER, "text": "PESAN RT01 2", "at": "2026-12-01T09:00"},
        {"from": BUYER, "text": "YA", "at": "2026-12-01T09:01"},
        {"at": "2026-12-01T11:00"},
        {"at": "2026-12-01T11:01"},
        {"at": "2026-12-02T09:01"},
        {"from": BUYER, "text": "STATUS", "at": "2026-12-02T09:05"},
    ]
    done = smsbot_here(cli_env, "chat", stdin="".join(json.dumps(e) + "\n" for e in events))
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(o["to"], o["kind"], o["text"].split(":")[0].split(" ")[0]) for o in out] == [
        ("+6281300000001", "reply", "Faktur"),
        ("+6281300000001", "reply", "Pesanan"),
        ("+6281266104512", "notice", "Pesanan"),
        ("+6281266104512", "notice", "Pengingat"),
        ("+6281300000001", "notice", "Maaf,"),
        ("+6281266104512", "notice", "Pesanan"),
        ("+6281300000001", "reply", out[-1]["text"].split(" ")[0]),
    ]
    assert "Batal otomatis 02/12 09:01 WIB" in out[3]["text"]
    assert "dibatalkan otomatis" in out[5]["text"]
    assert " dibatalkan: Rendang Uni Emi dibatalkan 50rb" in out[6]["text"]
    assert all(o["segments"] == 1 and o["encoding"] == "gsm7" for o in out)
