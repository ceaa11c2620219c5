"""A seller adds a product by SMS (TAMBAH, then YA) and hides one (HAPUS), from the shop's
registered phone; anyone else learns what the command is for. Demo catalog: RDG1 Rendang
Uni Emi 081266104512 sells RT01 Rendang Telur 250g and RT09; RT02 is Amak Ida's (RDG2)."""

import pytest
from sqlmodel import Session, select

from smsbot.catalog.models import CatalogVersion, Product
from tests.conftest import speaks_english

BUYER = "081300000001"
EMI = "081266104512"  # RDG1
IDA = "081374552190"  # RDG2


def product(engine, code):
    with Session(engine) as session:
        return session.exec(select(Product).where(Product.code_key == code)).first()


def catalog_version(engine):
    with Session(engine) as session:
        row = session.get(CatalogVersion, 1)
        return row.version if row else 0


@pytest.mark.backends  # the insert, its catalog version bump and the code look-up, on both
def test_a_new_product_is_echoed_then_published_by_ya_and_found_at_once(conversation, seeded):
    conversation.check(f"""
        {EMI} > TAMBAH Rendang Ayam 250g 30rb 20
        {EMI} < Produk baru RA01: Rendang Ayam 250g 30rb, stok 20. Balas YA utk tampilkan (30 mnt). Salah? Kirim TAMBAH lagi.
    """)
    assert product(seeded, "RA01") is None  # nothing shown before YA
    before = catalog_version(seeded)
    conversation.check(f"""
        {EMI} > YA
        {EMI} < RA01 Rendang Ayam 250g sudah tampil di CARI dan bisa dipesan. Ubah: STOK RA01 <jumlah>, HARGA RA01 <harga>. Sembunyikan: HAPUS RA01
        {BUYER} > CARI rendang ayam
        {BUYER} <~ 1)RA01 Rendang Ayam 250g 30rb Rendang Uni Emi
        {EMI} > TAMBAH Rendang Telur Puyuh 27.500
        {EMI} < Produk baru RT10: Rendang Telur Puyuh 27.500, stok 0. Balas YA utk tampilkan (30 mnt). Salah? Kirim TAMBAH lagi.
    """)
    assert catalog_version(seeded) > before
    added = product(seeded, "RA01")
    assert (added.name, added.price_idr, added.stock, added.category) == (
        "Rendang Ayam 250g", 30000, 20, "rendang")


def test_ya_confirms_the_later_of_a_product_and_an_order(conversation, seeded):
    conversation.check(f"""
        {EMI} > TAMBAH Galamai Pandan 25000 5
        {EMI} <~ Produk baru GP01
        {EMI} > PESAN GL01 1
        {EMI} <~ Faktur
        {EMI} > YA
        {EMI} <~ dikirim ke Galamai Ibu Ros
        081277093318 <~ Pesanan baru
    """)
    assert product(seeded, "GP01") is None
    conversation.check(f"""
        {EMI} > TAMBAH Galamai Pandan 25000 5
        {EMI} <~ Produk baru GP01
        {EMI} > YA
        {EMI} <~ GP01 Galamai Pandan sudah tampil di CARI
        {EMI} > YA
        {EMI} <~ sudah dikonfirmasi
    """)


def test_tambah_says_what_to_fix(conversation, seeded):
    with Session(seeded) as session:
        count = len(session.exec(select(Product.id)).all())
    conversation.check(f"""
        {EMI} > TAMBAH
        {EMI} < Ketik TAMBAH <nama> <harga> [stok]. Contoh: TAMBAH Rendang Ayam 250g 30rb 20
        {EMI} > TAMBAH Rendang Ayam 250g
        {EMI} < Harga belum ada. Tulis harga setelah nama: TAMBAH Rendang Ayam 250g 25000 (atau 25rb). Stok boleh di akhir: TAMBAH Rendang Ayam 250g 25rb 20
        {EMI} > TAMBAH Lamang 5
        {EMI} < Harga harus 100 sampai 10jt. Contoh: TAMBAH Lamang 25000 atau TAMBAH Lamang 25rb
        {EMI} > TAMBAH Rendang Telur 250g 25.000
        {EMI} < Toko Anda sudah punya RT01 Rendang Telur 250g. Ubah harga: HARGA RT01 <harga>, stok: STOK RT01 <jumlah>
        {EMI} > TAMBAH Kue yang namanya sangat panjang sekali sampai lewat batas 5000
        {EMI} < Nama produk maks 40 huruf, tanpa emoji. Tulis singkat, contoh: TAMBAH Rendang Ayam 250g 30rb
        {EMI} > TAMBAH Teh 8rb 100000
        {EMI} < Stok harus angka 0 sampai 99999. Contoh: TAMBAH Teh 25rb 20
        {EMI} > YA
        {EMI} < Tidak ada pesanan yg menunggu YA. Ketik PESAN <kode> <jumlah>. Contoh: PESAN RT01 2
    """)
    with Session(seeded) as session:
        assert len(session.exec(select(Product.id)).all()) == count


@pytest.mark.backends
def test_hapus_hides_the_shops_own_product_from_search_and_orders(conversation, seeded):
    conversation.check(f"""
        {EMI} > HAPUS RT02
        {EMI} < RT02 bukan produk toko Anda, tidak ada yg diubah. Hanya nomor toko pemiliknya yg bisa.
        {EMI} > HAPUS RT01
        {EMI} < RT01 Rendang Telur 250g disembunyikan dari CARI, pesanan dan website. Data tetap tersimpan; utk tampil lagi hubungi admin UMKM.
        {BUYER} > PESAN RT01 1
        {BUYER} < Kode RT01 tidak ada. Cari kodenya: CARI <makanan>, lalu PESAN <kode> <jumlah>. Contoh: PESAN RT01 2
        {EMI} > HAPUS RT01
        {EMI} < Kode produk RT01 tidak ada. Contoh: HAPUS RT01 ...
    """)
    assert [line for line in conversation.replies(BUYER, "CARI rendang telur uni emi")
            if "RT01 " in line] == []
    hidden = product(seeded, "RT01")
    assert hidden is not None and not hidden.active  # kept, not deleted


def test_buyers_learn_what_tambah_and_hapus_are_for_in_their_language(conversation, seeded):
    conversation.check(f"""
        {BUYER} > TAMBAH Rendang 25rb
        {BUYER} < TAMBAH perintah penjual (tambah produk baru), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN
        {BUYER} > STOK RT01 5
        {BUYER} < STOK perintah penjual (ubah stok produk), hanya dari nomor toko terdaftar. Mau jualan? Hubungi kantor UMKM Payakumbuh. Pembeli: ketik BANTUAN
    """)
    speaks_english(seeded, BUYER)
    speaks_english(seeded, EMI)
    conversation.check(f"""
        {BUYER} > HAPUS RT01
        {BUYER} < HAPUS is a seller command (hide a product), only from a registered shop number. Want to sell? Contact the Payakumbuh UMKM office. Buyers: send BANTUAN
        {EMI} > TAMBAH Rendang Ayam 250g
        {EMI} < The price is missing. Put it after the name: TAMBAH Rendang Ayam 250g 25000 (or 25rb). Stock may follow: TAMBAH Rendang Ayam 250g 25rb 20
        {EMI} > TAMBAH Rendang Ayam 250g 30rb 20
        {EMI} < New product RA01: Rendang Ayam 250g 30rb, stock 20. Reply YA to publish it (30 min). Wrong? Send TAMBAH again.
        {EMI} > YA
        {EMI} < RA01 Rendang Ayam 250g is now in CARI and can be ordered. Change: STOK RA01 <qty>, HARGA RA01 <price>. Hide: HAPUS RA01
        {EMI} > HAPUS RA01
        {EMI} < RA01 Rendang Ayam 250g is hidden from CARI, orders and the website. Its data is kept; to show it again ask the UMKM admin.
    """)
