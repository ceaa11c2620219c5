"""Privileged commands through their one gate (smsbot.contacts.auth), as senders see them:
admin commands (SIARAN, SETUJU) need the admin's phone and PIN, seller commands (STOK, HARGA,
PROMO, TERIMA ...) the shop's registered phone; every refusal is in the security log."""

import pytest
from sqlmodel import Session, col, select

from smsbot.broadcasts.models import Broadcast
from smsbot.contacts import directory as contacts
from smsbot.contacts.models import SecurityEvent
from smsbot.orders import rules as orders

ADMIN = "081200000001"  # demo admin, PIN 1234
BUYER = "081300000001"
EMI = "081266104512"  # RDG1 Rendang Uni Emi: RT01
IDA = "081374552190"  # RDG2 Rendang Amak Ida: RT02


def log(engine) -> list[tuple[str, str, str]]:
    """(local phone, kind, detail) of every security event, oldest first."""
    with Session(engine) as session:
        rows = session.exec(select(SecurityEvent).order_by(col(SecurityEvent.id))).all()
        return [("0" + e.phone[3:], e.kind, e.detail) for e in rows]


@pytest.fixture
def promo(conversation):
    """A seller's promo broadcast (#1) awaiting the admin."""
    conversation.send(EMI, "PROMO RT01 20 3")
    return 1


def approved(engine, number) -> bool:
    with Session(engine) as session:
        return session.get(Broadcast, number).status != "pending"


def test_only_the_admin_may_send_setuju_and_refusals_are_logged(conversation, seeded, promo):
    conversation.check(f"""
        {BUYER} > SETUJU 1234 1
        {BUYER} < SETUJU perintah admin UMKM Payakumbuh (setujui promo toko), tidak bisa dari nomor Anda. Daftar perintah: ketik BANTUAN
        {EMI} > SETUJU 1234 1
        {EMI} < SETUJU perintah admin UMKM Payakumbuh (setujui promo toko), tidak bisa dari nomor Anda. Daftar perintah: ketik BANTUAN
        {EMI} > approve 1
        {EMI} < SETUJU perintah admin UMKM Payakumbuh (setujui promo toko), tidak bisa dari nomor Anda. Daftar perintah: ketik BANTUAN
    """)
    assert not approved(seeded, promo)
    assert log(seeded) == [(BUYER, "not_allowed", "setuju: role buyer, needs admin"),
                           (EMI, "not_allowed", "setuju: role seller, needs admin"),
                           (EMI, "not_allowed", "setuju: role seller, needs admin")]


def test_setuju_takes_the_admin_pin_and_the_old_form_is_told_the_new_one(conversation, seeded,
                                                                         promo):
    conversation.check(f"""
        {ADMIN} > SETUJU 1
        {ADMIN} < Perintah ini perlu PIN admin. Ketik: SETUJU <PIN> 1
        {ADMIN} > SETUJU
        {ADMIN} < Perintah ini perlu PIN admin. Ketik: SETUJU <PIN> <nomor siaran>
        {ADMIN} > SETUJU 9999 1
        {ADMIN} < PIN salah. Sisa 2 kali sebelum PIN dikunci 60 menit.
        {ADMIN} > SETUJU 1234 x
        {ADMIN} < Format: SETUJU <PIN> <nomor siaran>. Contoh: SETUJU <PIN> 12
        {ADMIN} > SETUJU 1234 1
        {ADMIN} < Siaran #1 disetujui, dikirim ke 0 kontak.
        {EMI} < Promo Anda (siaran #1) disetujui admin dan akan dikirim.
    """)
    assert approved(seeded, promo)
    assert log(seeded) == [(ADMIN, "pin_failed", "setuju: wrong PIN (1 of 3)")]


def test_wrong_setuju_pins_lock_the_pin_like_siaran_and_count_together(conversation, seeded,
                                                                       promo):
    conversation.check(f"""
        {ADMIN} > SIARAN 0000 besok 09:00 x
        {ADMIN} < PIN salah. Sisa 2 kali sebelum PIN dikunci 60 menit.
        {ADMIN} > SETUJU 0001 1
        {ADMIN} < PIN salah. Sisa 1 kali sebelum PIN dikunci 60 menit.
        {ADMIN} > SETUJU 0002 1
        {ADMIN} < PIN dikunci karena salah 3 kali. Coba lagi setelah jam 11:00 WIB.
        {ADMIN} > SETUJU 1234 1
        {ADMIN} < PIN dikunci karena salah 3 kali. Coba lagi setelah jam 11:00 WIB.
        {ADMIN} > SIARAN 1234 besok 09:00 x
        {ADMIN} < PIN dikunci karena salah 3 kali. Coba lagi setelah jam 11:00 WIB.
    """)
    assert not approved(seeded, promo)
    assert [(kind, detail.split(" 2026")[0]) for _, kind, detail in log(seeded)] == [
        ("pin_failed", "siaran: wrong PIN (1 of 3)"),
        ("pin_failed", "setuju: wrong PIN (2 of 3)"),
        ("pin_failed", "setuju: wrong PIN (3 of 3)"),
        ("pin_locked", "locked until"),
        ("pin_locked", "setuju: tried while locked"),
        ("pin_locked", "siaran: tried while locked"),
    ]
    conversation.advance(minutes=61)
    assert conversation.replies(ADMIN, "SETUJU 1234 1")[0] == "Siaran #1 disetujui, dikirim ke 0 kontak."


def test_promo_from_another_phone_is_refused_by_the_same_gate_as_stok(conversation, seeded):
    conversation.check(f"""
        {IDA} > STOK RT01 5
        {IDA} < RT01 bukan produk toko Anda, tidak ada yg diubah. Hanya nomor toko pemiliknya yg bisa.
        {IDA} > PROMO RT01 20 3
        {IDA} < RT01 bukan produk toko Anda, tidak ada yg diubah. Hanya nomor toko pemiliknya yg bisa.
        {BUYER} > STOK RT01 5
        {BUYER} < STOK perintah penjual (ubah stok produk), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN
        {BUYER} > PROMO RT01 20 3
        {BUYER} < PROMO perintah penjual (pasang diskon produk toko), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN
        {ADMIN} <! nothing to approve
    """)
    assert log(seeded) == [(IDA, "not_allowed", "stok: not the phone of shop RDG1"),
                           (IDA, "not_allowed", "promo: not the phone of shop RDG1"),
                           (BUYER, "not_allowed", "stok: not a shop's phone"),
                           (BUYER, "not_allowed", "promo: not a shop's phone")]
    with Session(seeded) as session:
        assert session.exec(select(Broadcast)).all() == []


def test_seller_order_steps_from_another_phone_are_logged(conversation, seeded, monkeypatch):
    monkeypatch.setattr(orders, "new_code", lambda: "AB3CD4")
    conversation.send(BUYER, "PESAN RT01 1")
    conversation.send(BUYER, "YA")
    conversation.check(f"""
        {IDA} > TERIMA AB3CD4
        {IDA} < Pesanan AB3CD4 bukan utk toko Anda, tidak ada yg diubah. Hanya nomor toko terdaftar yg bisa menjawab pesanannya.
        {BUYER} > KIRIM AB3CD4
        {BUYER} <~ KIRIM perintah penjual (tandai pesanan dikirim)
    """)
    assert log(seeded) == [(IDA, "not_allowed", "terima: not the phone of shop RDG1"),
                           (BUYER, "not_allowed", "kirim: not a shop's phone")]


def test_pins_are_stored_hashed(seeded):
    with Session(seeded) as session:
        admin = contacts.find(session, "+62" + ADMIN[1:])
        assert admin.pin_hash.startswith("pbkdf2$") and "1234" not in admin.pin_hash
        assert contacts.check_pin(admin, "1234") and not contacts.check_pin(admin, "4321")

