"""A seller with one waiting order need not type its code: TERIMA, TOLAK <alasan> and KIRIM
act on the shop's only order waiting for that step; with several, the reply lists them. And
a buyer who sends a seller's command learns what it is for. Demo catalog: RT01 and RT09 are
Rendang Uni Emi's (RDG1, 081266104512)."""

import pytest

from smsbot.orders import rules as orders
from tests.conftest import speaks_english

BUYER = "081300000001"
EMI = "081266104512"  # RDG1: RT01, RT09


@pytest.fixture
def fixed_codes(monkeypatch):
    queue = ["AB3CD4", "EF5GH6", "JK7MN8"]
    monkeypatch.setattr(orders, "new_code", lambda: queue.pop(0))


def ordered(conversation, text):
    conversation.send(BUYER, text)
    conversation.send(BUYER, "YA")


@pytest.mark.backends  # the waiting-orders query (a join with DISTINCT) on PostgreSQL too
def test_terima_tolak_kirim_without_a_code_act_on_the_only_waiting_order(
        conversation, seeded, fixed_codes):
    conversation.check(f"""
        {EMI} > TERIMA
        {EMI} < Tidak ada pesanan toko Anda yg menunggu TERIMA. Cek kode di SMS pesanan: TERIMA <kode pesanan>
    """)
    ordered(conversation, "PESAN RT01 2")
    conversation.check(f"""
        {EMI} > TERIMA
        {EMI} < Pesanan AB3CD4 diterima, stok dikurangi. Setelah dikirim atau siap diambil, balas KIRIM AB3CD4
        {BUYER} <~ Rendang Uni Emi menerima pesanan AB3CD4
        {EMI} > KIRIM
        {EMI} < Pesanan AB3CD4 ditandai dikirim, pembeli diberi tahu. Setelah sampai/diambil, balas SELESAI AB3CD4
        {BUYER} <~ Pesanan AB3CD4 dari Rendang Uni Emi siap diambil
    """)
    ordered(conversation, "PESAN RT01 1")
    ordered(conversation, "PESAN RT09 1")
    conversation.check(f"""
        {EMI} > TERIMA
        {EMI} < 2 pesanan menunggu TERIMA: EF5GH6, JK7MN8. Ketik TERIMA <kode>, contoh: TERIMA EF5GH6
        {EMI} > TOLAK EF5GH6 stok habis
        {EMI} < Pesanan EF5GH6 ditolak. Pembeli sudah diberi tahu.
        {BUYER} < Maaf, Rendang Uni Emi menolak pesanan EF5GH6: stok habis. Cari toko lain: CARI <makanan>
        {EMI} > TOLAK stok habis
        {EMI} < Pesanan JK7MN8 ditolak. Pembeli sudah diberi tahu.
        {BUYER} < Maaf, Rendang Uni Emi menolak pesanan JK7MN8: stok habis. Cari toko lain: CARI <makanan>
        {EMI} > TOLAK ZZ9ZZ9 habis
        {EMI} < Pesanan ZZ9ZZ9 tidak ditemukan utk nomor Anda. Cek kode 6 huruf di SMS faktur. Contoh: STATUS AB3CD4
    """)


def test_shortcuts_and_the_gate_in_english(conversation, seeded, fixed_codes):
    speaks_english(seeded, BUYER, EMI)
    ordered(conversation, "PESAN RT01 1")
    ordered(conversation, "PESAN RT09 1")
    conversation.check(f"""
        {BUYER} > TERIMA
        {BUYER} < TERIMA is a seller command (accept an order), only from a registered shop number. Want to sell? Contact the Payakumbuh UMKM office. Buyers: send BANTUAN
        {BUYER} > KIRIM AB3CD4
        {BUYER} <~ KIRIM is a seller command (mark an order shipped)
        {EMI} > TOLAK sold out
        {EMI} < 2 orders wait for TOLAK: AB3CD4, EF5GH6. Send TOLAK <code>, e.g. TOLAK AB3CD4
        {EMI} > TOLAK AB3CD4 sold out
        {EMI} < Order AB3CD4 refused. The buyer has been told.
        {BUYER} < Sorry, Rendang Uni Emi refused order AB3CD4: sold out. Find another shop: CARI <food>
        {EMI} > TERIMA
        {EMI} < Order EF5GH6 accepted, stock reduced. Once shipped or ready for pick-up, reply KIRIM EF5GH6
        {BUYER} <~ accepted order EF5GH6
        {EMI} > KIRIM
        {EMI} <~ Order EF5GH6 marked shipped
        {BUYER} <~ Order EF5GH6 from Rendang Uni Emi is ready
        {EMI} > KIRIM
        {EMI} < No order of your shop is waiting for KIRIM. Check the code in the order SMS: KIRIM <order code>
    """)
