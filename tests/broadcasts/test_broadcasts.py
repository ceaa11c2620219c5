"""Promo subscriptions and broadcasts as buyers, sellers and the admin see them."""

from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

from smsbot.broadcasts import runs as broadcasts
from smsbot.broadcasts.models import Broadcast
from smsbot.catalog.models import PromoPrice
from smsbot.catalog.promos import active_promo
from smsbot.clock import parse_iso
from smsbot.contacts.models import Contact
from smsbot.contacts.phones import normalize
from smsbot.messages.models import OutboxMessage
from smsbot.messages.send_settings import Settings
from smsbot.testing import Conversation

ADMIN, BUYER = "081200000001", "081300000001"
SELLER = "081266104512"  # RDG1 Rendang Uni Emi, owner of RT01
FOOTER = "Balas STOP utk berhenti."


def opt_in(engine, *phones, kelurahan=""):
    with Session(engine) as session:
        for phone in phones:
            e164 = normalize(phone)
            contact = session.exec(select(Contact).where(Contact.phone == e164)).first() or Contact(
                phone=e164, created_at=datetime(2026, 11, 1, tzinfo=timezone.utc))
            contact.promo_opt_in = True
            contact.kelurahan = kelurahan or contact.kelurahan
            session.add(contact)
        session.commit()


def schedule(engine, text, at, **kwargs):
    with Session(engine, expire_on_commit=False) as session:
        item = broadcasts.create(session, text, parse_iso(at), parse_iso("2026-11-27T10:00"), **kwargs)
        session.commit()
    return item


def opted_in(engine, phone):
    with Session(engine) as session:
        return session.exec(select(Contact).where(Contact.phone == normalize(phone))).one().promo_opt_in


def promos(sent):
    return sorted((s.to, s.text) for s in sent if s.kind == "broadcast")


@pytest.mark.parametrize("word", ["DAFTAR", "daftar", "REG", "Daftar#Rina#Ibuah"])
def test_daftar_variants_opt_in_and_say_how_to_stop(conversation, seeded, word):
    [reply] = conversation.replies("081300000009", word)
    assert reply.startswith("Terima kasih") and "STOP utk berhenti" in reply
    assert opted_in(seeded, "081300000009")


@pytest.mark.parametrize("word", ["STOP", "stop", "Berhenti", "UNREG", "unreg promo", "stop."])
def test_stop_variants_opt_out_and_mulai_opts_back_in(conversation, seeded, word):
    conversation.check(f"""
        081300000009 > DAFTAR Rina Ibuah
        081300000009 < Terima kasih Rina, Anda terdaftar utk info promo UMKM Payakumbuh (Ibuah). Ketik IKUTI <toko/makanan> utk pilih minat, STOP utk berhenti.
        081300000009 > {word}
        081300000009 < Anda tidak akan menerima promo lagi. Balasan & pesanan tetap jalan. Ketik MULAI utk menerima promo lagi.
    """)
    assert not opted_in(seeded, "081300000009")
    # transactional replies still work after STOP
    assert conversation.replies("081300000009", "CARI GL01")[0].startswith("1)GL01")
    conversation.check("""
        081300000009 > mulai
        081300000009 < Info promo aktif lagi. Ketik STOP kapan saja utk berhenti.
    """)
    assert opted_in(seeded, "081300000009")


def test_daftar_reads_a_multi_word_kelurahan(conversation, seeded):
    conversation.send("081300000009", "DAFTAR Siti Aminah Koto Tangah")
    with Session(seeded) as session:
        contact = session.exec(select(Contact).where(Contact.phone == "+6281300000009")).one()
    assert (contact.name, contact.kelurahan) == ("Siti Aminah", "Koto Tangah")


def test_broadcast_reaches_only_opted_in_contacts_and_carries_the_footer(conversation, seeded):
    opt_in(seeded, "081300000011", "081300000012")
    conversation.send("081300000013", "CARI rendang")  # a known contact who never opted in
    schedule(seeded, "Bazar UMKM Sabtu di GOR", "2026-11-28T09:00")
    assert promos(conversation.at("2026-11-28T08:59")) == []
    assert promos(conversation.at("2026-11-28T09:00")) == [
        ("081300000011", f"Bazar UMKM Sabtu di GOR. {FOOTER}"),
        ("081300000012", f"Bazar UMKM Sabtu di GOR. {FOOTER}")]


def test_stop_drops_broadcasts_already_queued(conversation, seeded):
    opt_in(seeded, "081300000011", "081300000012")
    schedule(seeded, "Promo malam", "2026-11-27T22:00")  # due in quiet hours: queued
    conversation.at("2026-11-27T22:30")
    conversation.check("""
        081300000011 > STOP
        081300000011 <~ tidak akan menerima promo
    """)
    assert [s.to for s in conversation.at("2026-11-28T07:00")] == ["081300000012"]


def test_opt_out_is_checked_again_when_the_row_is_sent(conversation, seeded):
    opt_in(seeded, "081300000011")
    schedule(seeded, "Promo", "2026-11-27T22:00")
    conversation.at("2026-11-27T22:30")
    with Session(seeded) as session:  # opted out some other way (e.g. the admin, a race)
        contact = session.exec(select(Contact).where(Contact.phone == "+6281300000011")).one()
        contact.promo_opt_in = False
        session.add(contact)
        session.commit()
    assert conversation.at("2026-11-28T07:00") == []
    with Session(seeded) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "broadcast")).one()
    assert row.status == "skipped"


def test_quiet_hours_both_edges_and_replies_are_never_held(conversation, seeded):
    opt_in(seeded, "081300000011")
    schedule(seeded, "Satu", "2026-11-27T20:59")
    schedule(seeded, "Dua", "2026-11-28T21:00")
    assert [s.text for s in conversation.at("2026-11-27T20:59")] == [f"Satu. {FOOTER}"]
    assert conversation.at("2026-11-28T21:00") == []
    # a reply at night goes out at once
    assert conversation.replies("081300000011", "CARI GL01")[0].startswith("1)GL01")
    assert conversation.at("2026-11-29T06:59") == []
    assert [s.text for s in conversation.at("2026-11-29T07:00")] == [f"Dua. {FOOTER}"]


def test_quiet_hours_are_configurable(seeded):
    conversation = Conversation(seeded, settings=Settings(quiet_hours=None))
    opt_in(seeded, "081300000011")
    schedule(seeded, "Tengah malam", "2026-11-28T00:30")
    assert len(conversation.at("2026-11-28T00:30")) == 1


def test_at_most_one_promo_per_contact_per_day(conversation, seeded):
    opt_in(seeded, "081300000011")
    schedule(seeded, "Pagi", "2026-11-28T09:00")
    schedule(seeded, "Siang", "2026-11-28T12:00")
    assert [s.text for s in conversation.at("2026-11-28T09:00")] == [f"Pagi. {FOOTER}"]
    assert conversation.at("2026-11-28T12:00") == []
    assert conversation.at("2026-11-28T23:59") == []
    assert conversation.at("2026-11-29T06:59") == []
    assert [s.text for s in conversation.at("2026-11-29T07:00")] == [f"Siang. {FOOTER}"]


def test_the_daily_cap_is_configurable(seeded):
    conversation = Conversation(seeded, settings=Settings(promos_per_day=2))
    opt_in(seeded, "081300000011")
    schedule(seeded, "Pagi", "2026-11-28T09:00")
    schedule(seeded, "Siang", "2026-11-28T12:00")
    assert len(conversation.at("2026-11-28T09:00")) == 1
    assert len(conversation.at("2026-11-28T12:00")) == 1


def test_cron_repeats_and_cancel_stops_them(conversation, seeded):
    opt_in(seeded, "081300000011")
    item = schedule(seeded, "Pasar pagi", "2026-11-28T09:00", every="0 9 * * *")
    assert len(conversation.at("2026-11-28T09:00")) == 1
    assert conversation.at("2026-11-28T18:00") == []
    assert len(conversation.at("2026-11-29T09:00")) == 1
    # three days with the daemon down: one message, not three
    assert len(conversation.at("2026-12-02T10:00")) == 1
    with Session(seeded) as session:
        row = session.get(Broadcast, item.id)
        assert row.runs == 3 and broadcasts.show_next(row) == "03/12 09:00"
        broadcasts.cancel(session, row, parse_iso("2026-12-02T10:00"))
        session.commit()
    assert conversation.at("2026-12-03T09:00") == []


def test_targets_kelurahan_kecamatan_follows_and_shop(conversation, seeded):
    opt_in(seeded, "081300000011", kelurahan="Ibuah")
    opt_in(seeded, "081300000012", kelurahan="Napar")
    opt_in(seeded, "081300000013")
    conversation.check("""
        081300000013 > IKUTI rendang
        081300000013 < Anda mengikuti promo rendang.
        081300000012 > ikuti RDG1
        081300000012 < Anda mengikuti Rendang Uni Emi (RDG1).
        081300000014 > IKUTI galamai
        081300000014 < Anda mengikuti promo galamai. Ketik DAFTAR agar promo dikirim.
    """)
    with Session(seeded) as session:
        count = lambda target: broadcasts.count_recipients(session, broadcasts.parse_target(target, session))  # noqa: E731
        assert count("all") == 3
        assert count("kelurahan:ibuah") == 1
        assert count("kecamatan:Payakumbuh Utara") == 1
        assert count("follows:Rendang") == 1
        assert count("shop:rdg1") == 1
        assert count("follows:galamai") == 0  # follows, but never opted in
        with pytest.raises(broadcasts.BroadcastError):
            broadcasts.parse_target("kelurahan:Atlantis", session)


def test_siaran_needs_the_admin_and_the_right_pin(conversation, seeded):
    opt_in(seeded, "081300000011")
    conversation.check(f"""
        {BUYER} > SIARAN 1234 besok 09:00 Bazar
        {BUYER} < SIARAN perintah admin UMKM Payakumbuh (SMS ke semua pelanggan), tidak bisa dari nomor Anda. Daftar perintah: ketik BANTUAN
        {ADMIN} > SIARAN 1111 besok 09:00 Bazar
        {ADMIN} < PIN salah. Sisa 2 kali sebelum PIN dikunci 60 menit.
        {ADMIN} > SIARAN 1234 kemarin Bazar
        {ADMIN} < Waktu tidak dikenal. Contoh: SIARAN <PIN> besok 09:00 <teks>
        {ADMIN} > SIARAN 1234 08:00 Bazar
        {ADMIN} < Waktu 27/11 08:00 sudah lewat. Contoh: SIARAN <PIN> besok 09:00 <teks>
        {ADMIN} > SIARAN#1234#besok#09:00#Bazar UMKM di GOR, Sabtu!
        {ADMIN} < Siaran #1 dijadwalkan 28/11 09:00 ke 1 kontak. Batal: smsbot broadcast cancel 1
        @ 2026-11-28T09:00
        081300000011 < Bazar UMKM di GOR, Sabtu! {FOOTER}
        {ADMIN} > SIARAN 1234 25/12 08:00 Selamat Natal
        {ADMIN} < Siaran #2 dijadwalkan 25/12 08:00 ke 1 kontak. Batal: smsbot broadcast cancel 2
    """)


def test_wrong_pins_lock_siaran_like_every_admin_command(conversation, seeded):
    conversation.check(f"""
        {ADMIN} > SIARAN 0000 besok 09:00 x
        {ADMIN} < PIN salah. Sisa 2 kali sebelum PIN dikunci 60 menit.
        {ADMIN} > SIARAN 0001 besok 09:00 x
        {ADMIN} < PIN salah. Sisa 1 kali sebelum PIN dikunci 60 menit.
        {ADMIN} > SIARAN 0002 besok 09:00 x
        {ADMIN} < PIN dikunci karena salah 3 kali. Coba lagi setelah jam 11:00 WIB.
        {ADMIN} > SIARAN 1234 besok 09:00 x
        {ADMIN} < PIN dikunci karena salah 3 kali. Coba lagi setelah jam 11:00 WIB.
    """)
    conversation.advance(minutes=61)
    assert conversation.replies(ADMIN, "SIARAN 1234 besok 09:00 x")[0].startswith("Siaran #1 dijadwalkan")


def test_seller_promo_waits_for_the_admin(conversation, seeded):
    opt_in(seeded, "081300000011")
    conversation.check(f"""
        {BUYER} > PROMO RT01 10 3
        {BUYER} < PROMO perintah penjual (pasang diskon produk toko), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN
        {SELLER} > PROMO RT99 10 3
        {SELLER} < Kode produk RT99 tidak ada. Contoh: PROMO RT01 ...
        {SELLER} > PROMO RT01 95 3
        {SELLER} < Diskon 1-90% dan lama 1-30 hari. Contoh: PROMO RT01 10 3
        {SELLER} > promo rt01 20% 3
        {SELLER} < Promo RT01 20% jadi 20rb s/d 30/11 aktif. Siaran #1 menunggu persetujuan admin.
        {ADMIN} < Promo #1 dari Rendang Uni Emi: RT01 -20% 3 hari. Balas SETUJU <PIN> 1 utk menyiarkan.
    """)
    assert conversation.advance(hours=2) == []  # nothing goes out unapproved
    with Session(seeded) as session:
        price = session.exec(select(PromoPrice)).one()
        assert (price.percent, price.price_idr) == (20, 20000)
        assert active_promo(session, price.product_id, parse_iso("2026-11-30T09:59")).id == price.id
        assert active_promo(session, price.product_id, parse_iso("2026-11-30T10:00")) is None
    conversation.check(f"""
        {BUYER} > SETUJU 1234 1
        {BUYER} < SETUJU perintah admin UMKM Payakumbuh (setujui promo toko), tidak bisa dari nomor Anda. Daftar perintah: ketik BANTUAN
        {ADMIN} > SETUJU 1234 7
        {ADMIN} < Siaran #7 tidak ada atau tidak menunggu persetujuan.
        {ADMIN} > setuju 1234 1
        {ADMIN} < Siaran #1 disetujui, dikirim ke 1 kontak.
        {SELLER} < Promo Anda (siaran #1) disetujui admin dan akan dikirim.
        081300000011 < PROMO Rendang Uni Emi: Rendang Telur 250g diskon 20% jadi 20rb s/d 30/11. Ketik CARI RT01. {FOOTER}
        {ADMIN} > SETUJU 1234 1
        {ADMIN} < Siaran #1 tidak ada atau tidak menunggu persetujuan.
    """)
