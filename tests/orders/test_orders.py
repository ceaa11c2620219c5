"""Orders (PESAN) as buyers and sellers see them: single- and multi-shop orders through every
state, with the demo catalog (RT01 25rb shop RDG1 081266104512, RT02 19rb RDG2
081374552190, GL01 50rb GLM1 081277093318)."""

import re

import pytest
from sqlmodel import Session, select

from smsbot import codes
from smsbot.catalog.models import Product, Shop
from smsbot.orders import rules as orders
from smsbot.orders.models import Order

BUYER = "081300000001"
EMI = "081266104512"  # RDG1 Rendang Uni Emi: RT01
IDA = "081374552190"  # RDG2 Rendang Amak Ida: RT02
ROS = "081277093318"  # GLM1 Galamai Ibu Ros: GL01


@pytest.fixture
def fixed_codes(monkeypatch):
    queue = ["AB3CD4", "EF5GH6", "JK7MN8", "PQ9RS2", "TU3VW4", "XY5ZA6"]
    monkeypatch.setattr(orders, "new_code", lambda: queue.pop(0))
    return queue


def stock(engine, code):
    with Session(engine) as session:
        return session.exec(select(Product.stock).where(Product.code_key == code)).one()


def statuses(engine, code):
    with Session(engine) as session:
        order = orders.find(session, code)
        return order.status, [sub.status for sub, _ in orders.parts(session, order)]


def test_single_shop_order_through_every_state(conversation, seeded, fixed_codes):
    conversation.check(f"""
        {BUYER} > PESAN RT01 2
        {BUYER} < Faktur AB3CD4: RT01 Rendang Telur 250g 2x25rb. Total 50rb, ambil di toko. Balas YA utk pesan, ANTAR <alamat> utk diantar. Berlaku 30 mnt
        {BUYER} > YA
        {BUYER} < Pesanan AB3CD4 dikirim ke Rendang Uni Emi. Tunggu jawaban penjual (maks 24 jam) lewat SMS. Cek: STATUS AB3CD4. Batal: BATAL AB3CD4
        {EMI} < Pesanan baru AB3CD4: RT01 Rendang Telur 250g 2x25rb. Total 50rb. Pembeli {BUYER}, ambil di toko. Balas TERIMA AB3CD4 atau TOLAK AB3CD4 <alasan>
        {BUYER} > YA
        {BUYER} < Pesanan AB3CD4 sudah dikonfirmasi, tidak perlu YA lagi. Cek: STATUS AB3CD4
        {BUYER} > STATUS
        {BUYER} < AB3CD4 dikonfirmasi: Rendang Uni Emi menunggu penjual 50rb. Total 50rb
    """)
    assert stock(seeded, "RT01") == 80  # nothing taken before the seller accepts
    conversation.check(f"""
        {EMI} > terima ab3cd4
        {EMI} < Pesanan AB3CD4 diterima, stok dikurangi. Setelah dikirim atau siap diambil, balas KIRIM AB3CD4
        {BUYER} < Rendang Uni Emi menerima pesanan AB3CD4 (50rb). Bayar: COD (bayar di tempat). Ambil di Jl. Tan Malaka No. 12.
        {EMI} > TERIMA AB3CD4
        {EMI} < Pesanan AB3CD4 sudah diterima; TERIMA hanya utk pesanan yg menunggu.
        {EMI} > KIRIM AB3CD4
        {EMI} < Pesanan AB3CD4 ditandai dikirim, pembeli diberi tahu. Setelah sampai/diambil, balas SELESAI AB3CD4
        {BUYER} < Pesanan AB3CD4 dari Rendang Uni Emi siap diambil di Jl. Tan Malaka No. 12. Setelah diambil, balas SELESAI AB3CD4
        {BUYER} > SELESAI AB3CD4
        {BUYER} < Pesanan AB3CD4 selesai. Terima kasih!
        {EMI} < Pembeli menandai pesanan AB3CD4 selesai. Terima kasih!
        {BUYER} > STATUS AB3CD4
        {BUYER} < AB3CD4 dikonfirmasi: Rendang Uni Emi selesai 50rb. Total 50rb
        {BUYER} > SELESAI AB3CD4
        {BUYER} < Pesanan AB3CD4 sudah selesai; SELESAI hanya setelah penjual TERIMA AB3CD4.
    """)
    assert stock(seeded, "RT01") == 78
    assert statuses(seeded, "AB3CD4") == ("confirmed", ["done"])


def test_multi_shop_order_from_a_cari_list_with_delivery(conversation, seeded, fixed_codes):
    with Session(seeded) as session:
        ros = session.exec(select(Shop).where(Shop.code_key == "GLM1")).one()
        ros.payment_info = "Transfer BRI 0123-01-000123-50-1 a.n. Ros"
        session.add(ros)
        session.commit()
    conversation.replies(BUYER, "CARI rendang telur amak ida")  # 1)RT02 Rendang Amak Ida
    sent = conversation.send(BUYER, "PESAN 1 3, GL01 x1 RT01")
    assert [s.text for s in sent] == [
        "Faktur AB3CD4: Rendang Amak Ida: RT02 Rendang Telur 250g 3x19rb; Galamai Ibu Ros: GL01 "
        "Galamai Original 500g 50rb; Rendang Uni Emi: RT01 Rendang Telur 250g 25rb. Total 132rb, "
        "ambil di toko. Balas YA utk pesan, ANTAR <alamat> utk diantar. Berlaku 30 mnt"]
    assert sent[0].segments == 2  # a multi-shop invoice may take two SMS, never more
    conversation.check(f"""
        {BUYER} > ANTAR Jl. Soekarno-Hatta 10, Ibuh
        {BUYER} < Pesanan AB3CD4 diantar ke Jl. Soekarno-Hatta 10, Ibuh. Ongkir diatur penjual. Total 132rb. Balas YA utk pesan.
        {BUYER} > ya
        {BUYER} < Pesanan AB3CD4 dikirim ke 3 toko. Tunggu jawaban penjual (maks 24 jam) lewat SMS. Cek: STATUS AB3CD4. Batal: BATAL AB3CD4
        {IDA} < Pesanan baru AB3CD4: RT02 3x19rb. Total 57rb. Pembeli {BUYER}, antar ke Jl. Soekarno-Hatta 10, Ibuh. Balas TERIMA AB3CD4 atau TOLAK AB3CD4 <alasan>
        {ROS} <~ Pesanan baru AB3CD4: GL01
        {EMI} <~ Pesanan baru AB3CD4: RT01
        {ROS} > TERIMA AB3CD4
        {ROS} <~ diterima
        {BUYER} < Galamai Ibu Ros menerima pesanan AB3CD4 (50rb). Bayar: Transfer BRI 0123-01-000123-50-1 a.n. Ros. Diantar ke Jl. Soekarno-Hatta 10, Ibuh.
        {EMI} > TOLAK AB3CD4 sedang tutup, maaf
        {EMI} < Pesanan AB3CD4 ditolak. Pembeli sudah diberi tahu.
        {BUYER} < Maaf, Rendang Uni Emi menolak pesanan AB3CD4: sedang tutup, maaf. Cari toko lain: CARI <makanan>
        {IDA} > TERIMA AB3CD4
        {IDA} <~ diterima
        {BUYER} <~ Rendang Amak Ida menerima pesanan AB3CD4 (57rb)
        {IDA} > KIRIM AB3CD4
        {IDA} <~ ditandai dikirim
        {BUYER} < Pesanan AB3CD4 dari Rendang Amak Ida sedang diantar ke Jl. Soekarno-Hatta 10, Ibuh. Setelah diterima, balas SELESAI AB3CD4
        {BUYER} > STATUS AB3CD4
        {BUYER} < AB3CD4 dikonfirmasi: Rendang Amak Ida dikirim 57rb; Galamai Ibu Ros diterima 50rb; Rendang Uni Emi ditolak 25rb. Total 132rb
        {IDA} > SELESAI AB3CD4
        {IDA} < Pesanan AB3CD4 selesai. Terima kasih!
        {BUYER} < Pesanan AB3CD4 dari Rendang Amak Ida selesai. Terima kasih sudah berbelanja!
        {IDA} > STATUS AB3CD4
        {IDA} < AB3CD4 dikonfirmasi: Rendang Amak Ida selesai 57rb. Total 57rb
    """)
    assert statuses(seeded, "AB3CD4") == ("confirmed", ["done", "accepted", "refused"])
    assert (stock(seeded, "RT02"), stock(seeded, "GL01"), stock(seeded, "RT01")) == (117, 59, 80)


def test_only_the_shops_phone_acts_and_others_see_nothing(conversation, seeded, fixed_codes):
    conversation.send(BUYER, "PESAN RT01 2")
    conversation.send(BUYER, "YA")
    conversation.check(f"""
        {IDA} > TERIMA AB3CD4
        {IDA} < Pesanan AB3CD4 bukan utk toko Anda, tidak ada yg diubah. Hanya nomor toko terdaftar yg bisa menjawab pesanannya.
        {BUYER} > TERIMA AB3CD4
        {BUYER} <~ TERIMA perintah penjual (terima pesanan)
        081300000002 > TOLAK AB3CD4 iseng
        081300000002 <~ TOLAK perintah penjual
        081300000002 > KIRIM AB3CD4
        081300000002 <~ KIRIM perintah penjual
        081300000002 > SELESAI AB3CD4
        081300000002 < Pesanan AB3CD4 tidak ditemukan utk nomor Anda. Cek kode 6 huruf di SMS faktur. Contoh: STATUS AB3CD4
        081300000002 > STATUS AB3CD4
        081300000002 <~ tidak ditemukan utk nomor Anda
        081300000002 > BATAL AB3CD4
        081300000002 <~ tidak ditemukan utk nomor Anda
        081300000002 > YA AB3CD4
        081300000002 <~ tidak ditemukan utk nomor Anda
        {EMI} > BATAL AB3CD4
        {EMI} <~ tidak ditemukan utk nomor Anda
        {EMI} > KIRIM AB3CD4
        {EMI} < Pesanan AB3CD4 sudah menunggu penjual; KIRIM hanya setelah TERIMA AB3CD4.
    """)
    assert statuses(seeded, "AB3CD4") == ("confirmed", ["pending"])
    assert stock(seeded, "RT01") == 80


def test_seller_updates_its_own_stock_and_price_only(conversation, seeded):
    conversation.check(f"""
        {EMI} > STOK RT01 5
        {EMI} < Stok RT01 Rendang Telur 250g sekarang 5 (sebelumnya 80).
        {EMI} > HARGA rt01 27.500
        {EMI} < Harga RT01 Rendang Telur 250g sekarang 27.500 (sebelumnya 25rb). Pesanan lama tetap harga lama.
        {EMI} > HARGA RT01 30rb
        {EMI} <~ sekarang 30rb (sebelumnya 27.500)
        {EMI} > STOK RT02 5
        {EMI} < RT02 bukan produk toko Anda, tidak ada yg diubah. Hanya nomor toko pemiliknya yg bisa.
        {EMI} > HARGA RT02 1000
        {EMI} <~ RT02 bukan produk toko Anda
        {BUYER} > STOK RT01 999
        {BUYER} < STOK perintah penjual (ubah stok produk), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN
        {BUYER} > HARGA RT01 1
        {BUYER} < HARGA perintah penjual (ubah harga produk), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN
        {EMI} > STOK RT01 banyak
        {EMI} < Stok harus angka 0 sampai 99999. Contoh: STOK RT01 50
        {EMI} > STOK RT01 -4
        {EMI} <~ Stok harus angka 0 sampai 99999
        {EMI} > HARGA RT01 0
        {EMI} < Harga harus angka 100 sampai 10jt. Contoh: HARGA RT01 25000 atau HARGA RT01 25rb
        {EMI} > HARGA RT01 99999999999
        {EMI} <~ Harga harus angka 100 sampai 10jt
        {EMI} > STOK XX99 5
        {EMI} < Kode produk XX99 tidak ada. Contoh: STOK RT01 ...
        {EMI} > STOK
        {EMI} < Ketik STOK <kode produk> <jumlah>. Contoh: STOK RT01 50
    """)
    assert stock(seeded, "RT01") == 5 and stock(seeded, "RT02") == 120
    conversation.check(f"""
        {BUYER} > PESAN RT01 6
        {BUYER} < Maaf, stok RT01 tinggal 5. Ketik PESAN RT01 5 utk ambil semua.
        {BUYER} > PESAN RT01
        {BUYER} <~ RT01 Rendang Telur 250g 30rb. Total 30rb
    """)


def test_cancel_before_and_after_shipping(conversation, seeded, fixed_codes):
    conversation.send(BUYER, "PESAN RT01 2 RT02 1")
    conversation.send(BUYER, "YA AB3CD4")
    conversation.send(EMI, "TERIMA AB3CD4")
    assert stock(seeded, "RT01") == 78
    conversation.send(IDA, "TERIMA AB3CD4")
    conversation.send(IDA, "KIRIM AB3CD4")
    conversation.check(f"""
        {BUYER} > BATAL AB3CD4
        {BUYER} < Pesanan AB3CD4: dibatalkan dari Rendang Uni Emi. Sudah dikirim, tidak bisa batal: Rendang Amak Ida.
        {EMI} < Pembeli membatalkan pesanan AB3CD4. Tidak perlu dikirim; stok sudah dikembalikan.
        {BUYER} > BATAL AB3CD4
        {BUYER} < Pesanan AB3CD4 sudah dikirim penjual, tidak bisa dibatalkan. Hubungi penjual: {IDA}
        {EMI} > KIRIM AB3CD4
        {EMI} < Pesanan AB3CD4 sudah dibatalkan; KIRIM hanya setelah TERIMA AB3CD4.
    """)
    assert stock(seeded, "RT01") == 80
    assert statuses(seeded, "AB3CD4") == ("confirmed", ["cancelled", "shipped"])
    # a pending order: cancelled whole, the seller told; a draft: nothing to tell anyone
    conversation.send(BUYER, "PESAN GL01")
    conversation.send(BUYER, "YA")
    conversation.check(f"""
        {BUYER} > BATAL EF5GH6
        {BUYER} < Pesanan EF5GH6 dibatalkan. Penjual sudah diberi tahu.
        {ROS} < Pembeli membatalkan pesanan EF5GH6. Tidak perlu dikirim.
        {ROS} > TERIMA EF5GH6
        {ROS} < Pesanan EF5GH6 sudah dibatalkan; TERIMA hanya utk pesanan yg menunggu.
        {BUYER} > BATAL EF5GH6
        {BUYER} < Pesanan EF5GH6 sudah dibatalkan, tidak ada yg bisa dibatalkan. Cek: STATUS EF5GH6
        {BUYER} > PESAN GL02 2
        {BUYER} <~ Faktur JK7MN8
        {BUYER} > BATAL
        {BUYER} < Pesanan JK7MN8 dibatalkan, tidak ada yg dipesan.
        {BUYER} > YA
        {BUYER} < Pesanan JK7MN8 sudah dibatalkan. Pesan lagi: PESAN <kode> <jumlah>
    """)
    assert statuses(seeded, "EF5GH6") == ("cancelled", ["cancelled"])


def test_stock_is_checked_again_at_ya(conversation, seeded, fixed_codes):
    conversation.send(BUYER, "PESAN RT01 5")
    conversation.send(EMI, "STOK RT01 3")
    conversation.check(f"""
        {BUYER} > YA
        {BUYER} < Maaf, stok RT01 tinggal 3. Ketik PESAN RT01 3 utk ambil semua.
        {EMI} <!
    """)
    assert statuses(seeded, "AB3CD4") == ("draft", ["pending"])


def test_seller_cannot_accept_what_is_no_longer_in_stock(conversation, seeded, fixed_codes):
    conversation.send(BUYER, "PESAN RT01 2")
    conversation.send(BUYER, "YA")
    conversation.send(EMI, "STOK RT01 1")
    conversation.check(f"""
        {EMI} > TERIMA AB3CD4
        {EMI} < Stok RT01 tinggal 1, pesanan AB3CD4 belum diterima. Ubah: STOK RT01 <jumlah> lalu TERIMA AB3CD4, atau TOLAK AB3CD4 stok habis
        {BUYER} <!
        {EMI} > STOK RT01 10
        {EMI} <~ sekarang 10
        {EMI} > TERIMA AB3CD4
        {EMI} <~ diterima
        {BUYER} <~ menerima pesanan AB3CD4
    """)
    assert stock(seeded, "RT01") == 8


BAD_INPUT = [
    ("PESAN", "Ketik PESAN <kode> <jumlah>. Contoh: PESAN RT01 2, atau PESAN 1 2 utk no. 1 dari hasil CARI"),
    ("PESAN XX99 2", "Kode XX99 tidak ada. Cari kodenya: CARI <makanan>, lalu PESAN <kode> <jumlah>. Contoh: PESAN RT01 2"),
    ("PESAN rendang", "Kode RENDANG tidak ada. Cari kodenya: CARI <makanan>, lalu PESAN <kode> <jumlah>. Contoh: PESAN RT01 2"),
    ("PESAN RT01 0", "Jumlah RT01 harus 1 sampai 100. Contoh: PESAN RT01 2"),
    ("PESAN RT01 -3", "Jumlah RT01 harus 1 sampai 100. Contoh: PESAN RT01 2"),
    ("PESAN RT01 x0", "Jumlah RT01 harus 1 sampai 100. Contoh: PESAN RT01 2"),
    ("PESAN RT01 101", "Jumlah RT01 harus 1 sampai 100. Contoh: PESAN RT01 2"),
    ("PESAN RT01 60 RT01 60", "Jumlah RT01 harus 1 sampai 100. Contoh: PESAN RT01 2"),
    ("PESAN RT01 " + "9" * 5000, "Jumlah RT01 harus 1 sampai 100. Contoh: PESAN RT01 2"),
    ("PESAN RT01 dua", "Jumlah dua utk RT01 tidak dimengerti. Tulis angka 1-100. Contoh: PESAN RT01 2"),
    ("PESAN RT01 2.5", "Jumlah 2.5 utk RT01 tidak dimengerti. Tulis angka 1-100. Contoh: PESAN RT01 2"),
    ("PESAN RT08", "Maaf, RT08 Rendang Telur 200g sedang habis. Cari yg lain: CARI <makanan>"),
    ("PESAN RT01 81", "Maaf, stok RT01 tinggal 80. Ketik PESAN RT01 80 utk ambil semua."),
    ("PESAN 2 3", "Nomor 2 perlu daftar CARI dulu. Ketik CARI <makanan>, lalu PESAN <no> <jumlah>. Contoh: PESAN 1 2"),
    ("PESAN RT01 GL01 GL02 GL03 RT02 RT03 RT04 RT05 RT06",
     "Maks 8 jenis barang per pesanan. Pesan sisanya dgn PESAN lagi."),
    ("YA", "Tidak ada pesanan yg menunggu YA. Ketik PESAN <kode> <jumlah>. Contoh: PESAN RT01 2"),
    ("YA ZZZZZZ", "Pesanan ZZZZZZ tidak ditemukan utk nomor Anda. Cek kode 6 huruf di SMS faktur. Contoh: STATUS AB3CD4"),
    ("AMBIL", "Tidak ada pesanan yg menunggu YA. Ketik PESAN <kode> <jumlah>. Contoh: PESAN RT01 2"),
    ("ANTAR", "Tulis alamatnya: ANTAR <alamat>. Contoh: ANTAR Jl. Sudirman 5, Ibuh"),
    ("ANTAR " + "Jalan panjang sekali " * 5, "Alamat terlalu panjang (maks 80 huruf). Tulis singkat, contoh: ANTAR Jl. Sudirman 5, Ibuh"),
    ("STATUS", "Anda belum punya pesanan. Ketik PESAN <kode> <jumlah>. Contoh: PESAN RT01 2"),
    ("BATAL", "Tidak ada pesanan yg menunggu YA. Ketik PESAN <kode> <jumlah>. Contoh: PESAN RT01 2"),
    ("TERIMA", "TERIMA perintah penjual (terima pesanan), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN"),
    ("TOLAK ZZZZZZ habis", "TOLAK perintah penjual (tolak pesanan), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN"),
    ("KIRIM", "KIRIM perintah penjual (tandai pesanan dikirim), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN"),
]


def test_bad_input_gets_one_sms_saying_what_to_type(conversation, seeded):
    for text, expected in BAD_INPUT:
        sent = conversation.send(BUYER, text)
        assert [s.text for s in sent] == [expected], text
        assert sent[0].segments == 1 and sent[0].encoding == "gsm7", text
    with Session(seeded) as session:
        assert session.exec(select(Order)).all() == []


def test_largest_invoice_and_notices_fit_two_sms(conversation, seeded):
    # 8 products from 8 shops, 100 of each: the longest order PESAN accepts
    with Session(seeded) as session:
        picks = []
        for shop in session.exec(select(Shop).order_by(Shop.id)).all():
            product = session.exec(select(Product).where(Product.shop_id == shop.id)
                                   .order_by(Product.name.desc())).first()
            if product and len(picks) < orders.MAX_LINES:
                product.stock = 500
                session.add(product)
                picks.append(product.code)
        session.commit()
    sent = conversation.send(BUYER, "PESAN " + " ".join(f"{code} 100" for code in picks))
    assert len(sent) == 1 and sent[0].text.startswith("Faktur ") and sent[0].segments <= 2, sent
    sent += conversation.send(BUYER, "ANTAR " + "Jl. Sudirman No. 10, dekat Masjid Raya, Kel. Ibuh, " * 2)
    sent += conversation.send(BUYER, "ANTAR Jl. Sudirman No. 10, dekat Masjid Raya, Kelurahan Ibuh")
    sent += conversation.send(BUYER, "YA")
    code = sent[-1].text.split()[1]
    sent += conversation.send(BUYER, f"STATUS {code}")
    assert len(sent) == 4 + 8 + 1
    for message in sent:
        assert message.encoding == "gsm7" and message.segments <= 2, message
        if not (message.text.startswith("Faktur") or message.text.startswith("Pesanan baru")
                or message.text.startswith(code)):
            assert message.segments == 1, message


def test_codes_are_short_unguessable_and_have_no_look_alikes(conversation, seeded):
    made = []
    for _ in range(25):
        text = conversation.replies(BUYER, "PESAN GL02")[0]
        made.append(re.match(r"Faktur (\w+):", text).group(1))
    assert len(set(made)) == len(made)
    assert all(len(c) == 6 and not set(c) & set("0O1IL") for c in made)
    assert all(set(c) <= set(codes.ORDER_CODE_ALPHABET) for c in made)
    assert sorted(made) != made  # not handed out in sequence


def test_promo_prices_from_price_for_are_applied_and_marked(conversation, seeded, fixed_codes,
                                                            monkeypatch):
    monkeypatch.setattr(orders, "price_for",
                        lambda session, product, now: product.price_idr - 5000
                        if product.code == "RT01" else product.price_idr)
    conversation.check(f"""
        {BUYER} > PESAN RT01 2 RT09
        {BUYER} < Faktur AB3CD4: RT01 Rendang Telur 250g 2x20rb(promo), RT09 Rendang Telur 1kg 95rb. Total 135rb, ambil di toko. Balas YA utk pesan, ANTAR <alamat> utk diantar. Berlaku 30 mnt
    """)
    monkeypatch.undo()  # the promo ended: the confirmed order keeps the price it showed
    conversation.send(BUYER, "YA")
    with Session(seeded) as session:
        assert orders.find(session, "AB3CD4").total_idr == 135000


def test_english_speakers_get_english(conversation, seeded, fixed_codes):
    from smsbot.contacts.models import Contact

    conversation.send(BUYER, "BANTUAN")
    with Session(seeded) as session:
        contact = session.exec(select(Contact).where(Contact.phone == "+6281300000001")).one()
        contact.language = "en"
        session.add(contact)
        session.commit()
    conversation.check(f"""
        {BUYER} > PESAN RT01
        {BUYER} < Invoice AB3CD4: RT01 Rendang Telur 250g 25rb. Total 25rb, pick up at the shop. Reply YA to order, ANTAR <address> for delivery. Valid 30 min
        {BUYER} > YA
        {BUYER} <~ Order AB3CD4 sent to Rendang Uni Emi.
        {EMI} <~ Pesanan baru AB3CD4
        {EMI} > TOLAK AB3CD4
        {EMI} <~ ditolak
        {BUYER} < Sorry, Rendang Uni Emi refused order AB3CD4: no reason given. Find another shop: CARI <food>
    """)
