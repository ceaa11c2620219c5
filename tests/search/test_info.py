"""INFO <shop code or name> (TOKO): a shop's phone, address, hours, rating, best sellers and
web page; CARI <shop code>: its products."""

import pytest
from sqlmodel import Session

from smsbot.crm.models import Review
from smsbot.paths import seed_file
from smsbot.search.handlers import info
from tests.conftest import speaks_english

BUYER = "081300000001"
SITE = "umkm.payakumbuh.go.id"

EMI = ("Rendang Uni Emi (RDG1) HP 081266104512. Jl. Tan Malaka No. 12. Jam 08:00-21:00 (buka). "
       "Produk: RT01 Rendang Telur 250g 25rb. umkm.payakumbuh.go.id/toko/RDG1")


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv(info.SITE_ENV, SITE)


@pytest.mark.parametrize("typed", ["INFO RDG1", "info rdg1", "toko uni emi", "Info#Uni#Emi",
                                   "info rendang uni emi", "INFO RT01"])
def test_a_shop_by_its_code_its_name_or_a_product_code(reader, site, typed):
    assert reader.replies(BUYER, typed) == [EMI]


def test_without_a_site_address_the_room_goes_to_products(reader):
    assert reader.replies(BUYER, "INFO RDG1") == [
        "Rendang Uni Emi (RDG1) HP 081266104512. Jl. Tan Malaka No. 12. "
        "Jam 08:00-21:00 (buka). Produk: RT01 Rendang Telur 250g 25rb, RP01 Rendang Paru 250g 48rb"]


def test_namesakes_are_told_apart_by_the_owner_and_the_words_typed(namesakes):
    namesakes.check(f"""
        {BUYER} > info rusdi
        {BUYER} < Ada 4 toko: RRS Rendang Rusdi, KJR Kerupuk Jangek Pak Rusdi, RRY Dapoer Rendang Rusdi Yanto. Ketik INFO <kode>, mis. INFO RRS
        {BUYER} > info rendang rusdi
        {BUYER} < Rendang Rusdi (RRS) HP 081277001002. Jl. Sudirman No. 41, Ibuah. Jam 08:00-21:00 (buka). Produk: RRS1 Rendang Telur 250g 22rb, RRS2 Rendang Daging 500g 90rb
        {BUYER} > toko kerupuk rusdi
        {BUYER} <~ Kerupuk Jangek Pak Rusdi (KJR) HP 081277001004.
        {BUYER} > info rusdy yanto
        {BUYER} <~ Dapoer Rendang Rusdi Yanto (RRY) HP 081277001001.
        {BUYER} > info nasrul
        {BUYER} < Kerupuk Jangek Pak Nasrul (KJN) HP 081277001005. Jl. Soekarno-Hatta No. 9, Ibuah. Jam buka blm tercatat. Produk: KJN1 Kerupuk Jangek Balado 250g 23rb
        {BUYER} > info kerupuk
        {BUYER} < Ada 2 toko: KJR Kerupuk Jangek Pak Rusdi, KJN Kerupuk Jangek Pak Nasrul. Ketik INFO <kode>, mis. INFO KJR
        {BUYER} > info pak haji
        {BUYER} < Maaf, toko pak haji tidak ditemukan. Coba: LOKASI <tempat> atau CARI <makanan>
        {BUYER} > info
        {BUYER} < Ketik INFO <kode toko atau nama toko>. Contoh: INFO RDG1, INFO uni emi
    """)


def test_best_sellers_first_closed_now_and_the_rating(namesakes):
    namesakes.check(f"""
        {BUYER} > INFO RRY
        {BUYER} < Dapoer Rendang Rusdi Yanto (RRY) HP 081277001001. Jl. H.R. Rasuna Said No. 5. Jam 08:00-21:00 (buka). Produk: RRY2 Rendang Telur 25rb, RRY3 Rendang Paru 45rb
        {BUYER} > PESAN RRY1 1
        {BUYER} <~ Faktur
        {BUYER} > YA
        {BUYER} <~ dikirim ke Dapoer Rendang Rusdi Yanto
        081277001001 <~ Pesanan baru
        @ 2026-11-27T22:00
        081277001001 <~ Pengingat
        {BUYER} > INFO RRY
        {BUYER} < Dapoer Rendang Rusdi Yanto (RRY) HP 081277001001. Jl. H.R. Rasuna Said No. 5. Jam 08:00-21:00 (tutup). Laris: RRY1 Rendang Daging 95rb, RRY2 Rendang Telur 25rb
    """)
    with Session(namesakes.engine) as session:
        session.add(Review(order_id=1, suborder_id=1, shop_id=1, buyer_phone="+6281300000001",
                           stars=5, created_at=namesakes.clock.now()))
        session.commit()
    assert namesakes.replies(BUYER, "info RRY") == [
        "Dapoer Rendang Rusdi Yanto (RRY) HP 081277001001. Jl. H.R. Rasuna Said No. 5, Ibuah. "
        "Jam 08:00-21:00 (tutup). Nilai *5.0. Laris: RRY1 Rendang Daging 500g 95rb"]


def test_english(namesakes, site):
    namesakes.send(BUYER, "info")
    speaks_english(namesakes.engine, BUYER)
    namesakes.check(f"""
        {BUYER} > INFO RRS
        {BUYER} < Rendang Rusdi (RRS) phone 081277001002. Jl. Sudirman No. 41. Hours 08:00-21:00 (open now). Products: RRS1 Rendang Telur 22rb. umkm.payakumbuh.go.id/toko/RRS
        {BUYER} > shop rusdi
        {BUYER} < 4 shops match: RRS Rendang Rusdi, KJR Kerupuk Jangek Pak Rusdi, RRY Dapoer Rendang Rusdi Yanto. Send INFO <code>, e.g. INFO RRS
        {BUYER} > info xyz
        {BUYER} < Sorry, no shop xyz found. Try: LOKASI <place> or CARI <food>
        {BUYER} > info
        {BUYER} < Send INFO <shop code or name>. Example: INFO RDG1, INFO uni emi
    """)


def test_cari_with_a_shop_code_lists_its_products(namesakes):
    namesakes.check(f"""
        {BUYER} > cari RRY
        {BUYER} < 1)RRY2 Rendang Telur 250g 25rb Dapoer Rusdi 2)RRY3 Rendang Paru 250g 45rb Dapoer Rusdi 3)RRY1 Rendang Daging 500g 95rb Dapoer Rusdi Ketik LAGI utk berikutnya
        {BUYER} > LAGI
        {BUYER} < 4)RRY4 Rendang Suwir 250g 40rb Dapoer Rendang Rusdi Yanto (habis)
        {BUYER} > PESAN 2
        {BUYER} <~ : RRY3 Rendang Paru 250g 45rb. Total 45rb
    """)


def test_every_info_reply_is_gsm7_and_one_sms_when_it_can(reader, namesakes, site):
    codes = [line.split(",")[0] for line in seed_file("shops.csv").read_text().splitlines()[1:]]
    for code in codes:
        reader.send(BUYER, f"INFO {code}")
    for sent in reader.outgoing[-len(codes):]:
        assert sent.encoding == "gsm7" and sent.segments == 1 and len(sent.text) <= 160, sent
    # a name and an address too long for one SMS: two segments, nothing left out
    (long,) = namesakes.send(BUYER, "info sari raso")
    assert long.segments == 2 and "HP 081277001007" in long.text and "Koto Nan Ampek" in long.text
    assert "SRB1 Nasi Kapau Komplit 35rb" in long.text and long.text.endswith("/toko/SRB")


def test_the_link_is_the_websites_shop_page():
    from smsbot.web.public import routes

    assert next(r.path for r in routes if r.name == "shop") == info.SHOP_PAGE
