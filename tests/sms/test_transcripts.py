"""The core, as a buyer sees it (seeded with the demo catalog in db/seed/)."""

import pytest

pytestmark = pytest.mark.backends

HELP = ("Payakumbuh UMKM SMS. Ketik: CARI <makanan>, LOKASI <tempat>, PESAN <kode> <jml>, INFO <toko>, STATUS, "
        "KELUHAN, NILAI, ENGLISH, BANTUAN. Penjual: BANTUAN PENJUAL")


def test_bantuan_and_keyword_help(conversation):
    conversation.check(f"""
        081300000001 > BANTUAN
        081300000001 < {HELP}
        081300000001 > bantuan cari
        081300000001 < CARI <nama makanan>: bandingkan harga & toko. Contoh: CARI rendang telur
        081300000001 > ?
        081300000001 < {HELP}
    """)


def test_cari_compares_prices_across_shops_cheapest_first(conversation):
    # "Randang Talua" (RT03) is rendang telur spelt in Minang: it is found and is cheapest.
    # Shop names drop the words the product already says so that 3 results fit one SMS.
    conversation.check("""
        081300000001 > CARI rendang telur
        081300000001 < 1)RT03 Randang Talua 250g 18rb Mak Etek 2)RT02 Rendang Telur 250g 19rb Amak Ida 3)RT06 Rendang Telur 250g 22rb Bundo Salmah Ketik LAGI utk berikutnya
        081300000001 > lagi
        081300000001 < 4)RT07 Rendang Telur 250g 23rb Kota Randang 5)RT01 Rendang Telur 250g 25rb Uni Emi 6)RT04 Rendang Telur 500g 36rb Uni Yet Ketik LAGI utk berikutnya
    """)


def test_out_of_stock_products_come_last_and_are_marked(conversation):
    texts = []
    texts += conversation.replies("081300000001", "cari rendang telur")
    for _ in range(2):
        texts += conversation.replies("081300000001", "LAGI")
    assert "RT08" in texts[-1] and "(habis)" in texts[-1]
    assert all("(habis)" not in t for t in texts[:-1])
    assert conversation.replies("081300000001", "LAGI") == [
        "Sudah semua hasil untuk rendang telur. Ketik CARI <makanan> untuk cari lagi."]


def test_cari_by_code_and_separators(conversation):
    conversation.check("""
        081300000001 > CARI#GL01
        081300000001 < 1)GL01 Galamai Original 500g 50rb Galamai Ibu Ros
        081300000001 > cari*pisang*salai
        081300000001 <~ 1)PS
    """)


def test_no_result_says_so_and_suggests(conversation):
    conversation.check("""
        081300000001 > CARI pizza
        081300000001 < Maaf, pizza tidak ditemukan. Coba: CARI rendang, galamai, sanjai, pisang salai
        081300000001 > CARI
        081300000001 < Mau cari apa? Ketik CARI <nama makanan>. Contoh: CARI galamai
    """)


def test_lagi_without_a_list(conversation):
    conversation.check("""
        081300000009 > LAGI
        081300000009 < Tidak ada daftar untuk dilanjutkan. Ketik CARI <makanan> dulu. Contoh: CARI galamai
    """)


def test_all_number_forms_are_one_contact(conversation):
    # The list made by 0813... is continued from +62813...: same contact, same state.
    conversation.check("""
        081300000001 > cari rendang telur
        081300000001 <~ 1)RT03
        +6281300000001 > lagi
        081300000001 <~ 4)RT07
        6281300000001 > lagi
        081300000001 <~ 7)RT05
    """)


def test_unknown_text_gets_the_short_help(conversation):
    conversation.check(f"""
        081300000001 > halo, ini siapa?
        081300000001 < {HELP}
        081300000001 > galamai
        081300000001 <~ 1)GL10 Kalamai 250g 24rb
    """)


def test_operator_ids_and_short_codes_are_never_answered(conversation):
    conversation.check("""
        TELKOMSEL > Promo! Paket 10GB. Balas YA
        TELKOMSEL <! 
        3636 > Sisa pulsa Anda Rp5.000
        3636 <!
    """)
    assert conversation.outgoing == []


def test_search_state_expires(conversation):
    conversation.replies("081300000001", "cari galamai")
    conversation.advance(hours=3)
    assert conversation.replies("081300000001", "lagi")[0].startswith("Tidak ada daftar")


def test_every_reply_is_gsm7_and_one_sms(conversation):
    for text in ["BANTUAN", "cari rendang", "lagi", "cari sanjai balado", "cari kerupuk",
                 "x", "CARI " + "rendang " * 30]:
        conversation.send("081300000001", text)
    assert conversation.outgoing
    for sent in conversation.outgoing:
        assert sent.encoding == "gsm7" and sent.segments == 1 and len(sent.text) <= 160, sent


def test_selesai_with_an_unknown_code(conversation):
    conversation.check("""
        081300000001 > SELESAI ZZZZ
        081300000001 < Kode ZZZZ tidak ditemukan. Periksa kode di SMS sebelumnya. Contoh: SELESAI K7QX
        081300000001 > selesai
        081300000001 < Ketik SELESAI <kode pesanan atau keluhan>. Contoh: SELESAI K7QX
    """)
