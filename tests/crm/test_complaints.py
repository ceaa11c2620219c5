"""KELUHAN, BALAS and SELESAI on tickets, as the buyer, the shop and the admin see them."""

import pytest

from smsbot.testing import Conversation

from ..crm_data import fixed_tickets, make_order

BUYER, SHOP, ADMIN, STRANGER = "081300000001", "081266104512", "081200000001", "081300000009"
OTHER_SHOP = "081374552190"  # RDG2, Rendang Amak Ida


@pytest.fixture
def crm(conversation, monkeypatch):
    fixed_tickets(monkeypatch, "K7QX", "K8RT", "K9MN")
    return conversation


def test_complaint_naming_a_product_reaches_its_shop_and_relays_both_ways(crm):
    crm.check(f"""
        {BUYER} > KELUHAN rendang RT01 basi, rasanya asam
        {BUYER} < Keluhan K7QX diterima, diteruskan ke Rendang Uni Emi & admin. Tambah pesan: BALAS K7QX <pesan>. Tutup: SELESAI K7QX
        {SHOP} < Keluhan K7QX (kualitas) dari pembeli: rendang RT01 basi, rasanya asam Jawab: BALAS K7QX <jawaban>
        {ADMIN} < Keluhan K7QX (kualitas) utk Rendang Uni Emi, dari 081300000001: rendang RT01 basi, rasanya asam
        {SHOP} > BALAS K7QX Maaf bu, kami ganti besok
        {SHOP} < Balasan utk keluhan K7QX terkirim.
        {BUYER} < K7QX dari Rendang Uni Emi: Maaf bu, kami ganti besok Jawab: BALAS K7QX <pesan>
        {BUYER} > balas k7qx terima kasih, saya tunggu
        {BUYER} < Balasan utk keluhan K7QX terkirim.
        {SHOP} < K7QX dari pembeli: terima kasih, saya tunggu Jawab: BALAS K7QX <pesan>
        {BUYER} > SELESAI K7QX
        {BUYER} < Keluhan K7QX ditutup. Terima kasih.
        {SHOP} < Keluhan K7QX ditutup oleh pembeli.
        {SHOP} > BALAS K7QX satu lagi
        {SHOP} < Keluhan K7QX sudah ditutup. Kirim KELUHAN <isi> utk keluhan baru.
        {SHOP} > SELESAI K7QX
        {SHOP} < Keluhan K7QX sudah ditutup.
    """)


def test_complaint_naming_the_shop_by_name(crm):
    crm.check(f"""
        {BUYER} > keluhan: galamai dari Ibu Ros keras sekali
        {BUYER} <~ diteruskan ke Galamai Ibu Ros & admin
        081277093318 <~ Keluhan K7QX (kualitas) dari pembeli: galamai dari Ibu Ros keras sekali
        {ADMIN} <~ Keluhan K7QX (kualitas) utk Galamai Ibu Ros
    """)


def test_unclear_shop_goes_to_the_admin_only_who_answers_the_buyer(crm):
    crm.check(f"""
        {BUYER} > KELUHAN rendang telur yg saya beli di pasar terlambat diantar
        {BUYER} < Keluhan K7QX diterima, diteruskan ke admin UMKM. Tambah pesan: BALAS K7QX <pesan>. Tutup: SELESAI K7QX
        {ADMIN} < Keluhan K7QX (pengiriman) utk toko tdk diketahui, dari 081300000001: rendang telur yg saya beli di pasar terlambat diantar
        {ADMIN} > BALAS K7QX Beli di toko mana bu?
        {ADMIN} < Balasan utk keluhan K7QX terkirim.
        {BUYER} < K7QX dari Admin UMKM: Beli di toko mana bu? Jawab: BALAS K7QX <pesan>
        {BUYER} > BALAS K7QX Uni Emi
        {BUYER} < Balasan utk keluhan K7QX terkirim.
        {ADMIN} < K7QX dari pembeli: Uni Emi Jawab: BALAS K7QX <pesan>
        {ADMIN} > SELESAI K7QX
        {ADMIN} < Keluhan K7QX ditutup. Terima kasih.
        {BUYER} < Keluhan K7QX ditutup oleh Admin UMKM.
    """)


def test_complaint_with_an_order_code_goes_to_the_shop_of_the_order(crm, seeded):
    make_order(seeded, "ABC234", BUYER, ["GLM2"])
    crm.check(f"""
        {BUYER} > KELUHAN abc234 pesanan kurang 2 bungkus
        {BUYER} <~ Keluhan K7QX diterima, diteruskan ke Galamai Tek Nur & admin
        087812663409 < Keluhan K7QX (pesanan) dari pembeli ABC234: pesanan kurang 2 bungkus Jawab: BALAS K7QX <jawaban>
        {ADMIN} < Keluhan K7QX (pesanan) utk Galamai Tek Nur, dari 081300000001 ABC234: pesanan kurang 2 bungkus
    """)


def test_order_with_several_shops_uses_the_shop_named_in_the_text(crm, seeded):
    make_order(seeded, "ABC234", BUYER, ["GLM2", "RDG1"])
    make_order(seeded, "DEF567", BUYER, ["GLM2", "RDG1"])
    crm.check(f"""
        {BUYER} > KELUHAN ABC234 rendang uni emi basi
        {BUYER} <~ diteruskan ke Rendang Uni Emi & admin
        {SHOP} <~ Keluhan K7QX (kualitas) dari pembeli ABC234
        {ADMIN} <~ utk Rendang Uni Emi
        {BUYER} > KELUHAN DEF567 barang rusak semua
        {BUYER} <~ Keluhan K8RT diterima, diteruskan ke admin UMKM
        {ADMIN} <~ Keluhan K8RT (kualitas) utk toko tdk diketahui, dari 081300000001 DEF567
    """)


def test_someone_elses_or_a_wrong_order_code_is_not_found(crm, seeded):
    make_order(seeded, "ABC234", BUYER, ["GLM2"])
    crm.check(f"""
        {STRANGER} > KELUHAN ABC234 kurang
        {STRANGER} < Pesanan ABC234 tidak ditemukan. Periksa kode, atau kirim KELUHAN <isi keluhan> tanpa kode.
        {BUYER} > KELUHAN XYZ789 kurang
        {BUYER} < Pesanan XYZ789 tidak ditemukan. Periksa kode, atau kirim KELUHAN <isi keluhan> tanpa kode.
        {BUYER} > keluhan
        {BUYER} < Tulis keluhan Anda: KELUHAN [kode pesanan] <isi keluhan>. Contoh: KELUHAN rendang RT01 basi
    """)


def test_strangers_and_other_shops_can_neither_answer_nor_close(crm):
    crm.replies(BUYER, "KELUHAN RT01 basi")
    crm.check(f"""
        {STRANGER} > BALAS K7QX saya juga
        {STRANGER} < Keluhan K7QX tidak ditemukan. Periksa nomor di SMS sebelumnya.
        {OTHER_SHOP} > BALAS K7QX bukan kami
        {OTHER_SHOP} < Keluhan K7QX tidak ditemukan. Periksa nomor di SMS sebelumnya.
        {STRANGER} > SELESAI K7QX
        {STRANGER} < Kode K7QX tidak ditemukan. Periksa kode di SMS sebelumnya. Contoh: SELESAI K7QX
        {BUYER} > BALAS K7QX
        {BUYER} < Ketik BALAS <nomor keluhan> <pesan>. Contoh: BALAS K7QX Maaf, kami ganti besok
    """)
    assert crm.replies(SHOP, "BALAS K7QX sudah kami ganti") == ["Balasan utk keluhan K7QX terkirim."]


def test_admin_answer_reaches_the_buyer_and_a_copy_the_shop(crm):
    crm.replies(BUYER, "KELUHAN RT01 pelayanan kasar")
    crm.check(f"""
        {ADMIN} > BALAS K7QX Kami hubungi tokonya
        {ADMIN} < Balasan utk keluhan K7QX terkirim.
        {BUYER} < K7QX dari Admin UMKM: Kami hubungi tokonya Jawab: BALAS K7QX <pesan>
        {SHOP} < K7QX dari Admin UMKM: Kami hubungi tokonya Jawab: BALAS K7QX <pesan>
        {BUYER} > BALAS K7QX baik
        {BUYER} < Balasan utk keluhan K7QX terkirim.
        {SHOP} < K7QX dari pembeli: baik Jawab: BALAS K7QX <pesan>
        {ADMIN} < K7QX dari pembeli: baik Jawab: BALAS K7QX <pesan>
    """)


def test_unanswered_complaint_is_escalated_after_24_hours_once(crm):
    crm.check(f"""
        @ 2026-12-01T09:00
        {BUYER} > KELUHAN RT01 basi
        {BUYER} <~ Keluhan K7QX diterima
        {SHOP} <~ Keluhan K7QX
        {ADMIN} <~ Keluhan K7QX
        @ 2026-12-02T08:59
        @ 2026-12-02T09:00
        {ADMIN} < Keluhan K7QX utk Rendang Uni Emi blm dijawab toko 24 jam. Pembeli 081300000001: RT01 basi Jawab: BALAS K7QX <pesan>
        {BUYER} < Toko belum menjawab keluhan K7QX. Admin UMKM sudah diberi tahu dan akan membantu.
        @ 2026-12-05T09:00
        {BUYER} > BALAS K7QX masih belum ada jawaban
        {BUYER} < Balasan utk keluhan K7QX terkirim.
        {SHOP} <~ K7QX dari pembeli: masih belum ada jawaban
        {ADMIN} <~ K7QX dari pembeli: masih belum ada jawaban
    """)


def test_a_shop_answer_or_closing_prevents_escalation(crm):
    crm.replies(BUYER, "KELUHAN RT01 basi")
    crm.replies(BUYER, "KELUHAN RT02 basi")
    crm.replies(SHOP, "BALAS K7QX maaf, kami ganti")
    crm.replies(BUYER, "SELESAI K8RT")
    assert crm.advance(hours=30) == []


def test_escalation_survives_a_restart(crm, seeded):
    crm.replies(BUYER, "KELUHAN RT01 basi")
    restarted = Conversation(seeded, start=crm.clock.now())  # a new daemon, same database
    sent = restarted.advance(hours=25)
    assert {(s.to, s.text.split(" blm")[0]) for s in sent if s.to == ADMIN} == {
        (ADMIN, "Keluhan K7QX utk Rendang Uni Emi")}
    assert restarted.advance(hours=25) == []


def test_long_complaints_are_shortened_for_the_shop_never_the_frame(crm):
    text = "rendang RT01 " + "basi sekali " * 40
    sent = crm.send(BUYER, "KELUHAN " + text)
    to_shop = next(s for s in sent if s.to == SHOP)
    assert to_shop.text.endswith("... Jawab: BALAS K7QX <jawaban>")
    assert len(to_shop.text) <= 306 and to_shop.segments == 2


def test_each_party_reads_its_own_language_and_the_shop_can_close(crm, seeded):
    from sqlmodel import Session, select

    from smsbot.contacts.models import Contact

    with Session(seeded) as session:
        shop = session.exec(select(Contact).where(Contact.phone == "+6281266104512")).one()
        shop.language = "en"
        session.add(shop)
        session.commit()
    crm.check(f"""
        {BUYER} > KELUHAN RT01 kurir telat 2 hari
        {BUYER} <~ Keluhan K7QX diterima
        {SHOP} < Complaint K7QX (shipment) from a buyer: RT01 kurir telat 2 hari Answer: BALAS K7QX <answer>
        {ADMIN} <~ Keluhan K7QX (pengiriman)
        {SHOP} > BALAS K7QX Maaf, kurir kami sakit
        {SHOP} < Your answer to complaint K7QX was sent.
        {BUYER} < K7QX dari Rendang Uni Emi: Maaf, kurir kami sakit Jawab: BALAS K7QX <pesan>
        {SHOP} > SELESAI K7QX
        {SHOP} < Complaint K7QX closed. Thank you.
        {BUYER} < Keluhan K7QX ditutup oleh Rendang Uni Emi.
    """)


def test_a_long_complaint_with_brackets_is_cut_to_two_sms_not_paged(crm):
    """Extension characters (`{}[]~^|\\` and the euro sign) take two septets: the complaint
    is cut by what the SMS really holds, so the shop gets one message, not pages (1/2) (2/2)."""
    text = "RT01 [250g] basi {asam} ~ uang Rp25rb|€2 kembali? " * 7
    crm.send(BUYER, f"KELUHAN {text}")
    [notice] = [s for s in crm.outgoing if s.to == SHOP]
    assert notice.text.startswith("Keluhan K7QX (kualitas) dari pembeli: RT01 [250g] basi {asam}")
    assert notice.text.endswith("... Jawab: BALAS K7QX <jawaban>")
    assert notice.segments == 2
