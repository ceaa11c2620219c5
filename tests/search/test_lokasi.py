"""LOKASI: nearest shops from a kelurahan, an old name, a landmark or lat,lon."""

import pytest

from smsbot.search.nearby import distance_text
from smsbot.search.places import find_place
from tests.conftest import speaks_english

BUYER = "081300000001"

# Each shop with its code (for INFO / CARI <code>); the whole street name, the house number
# left out for room; "Kue Bawang Bundo Sari" keeps the name that tells it apart.
NEAR_IBUH = ("Dekat Pasar Ibuh: 1)TEH1 Teh Talua Ajo Dedi 370 m Pasar Ibuh buka "
             "2)GLM4 Galamai Mak Sari 440 m Jl Jambu buka 3)KUE1 Bundo Sari 640 m Jl Labuah Basilang buka")


def test_nearest_shops_from_a_landmark_with_distance_address_and_open(conversation):
    conversation.check(f"""
        {BUYER} > LOKASI Pasar Ibuh
        {BUYER} < {NEAR_IBUH}
    """)


@pytest.mark.parametrize("typed", ["lokasi pasar ibuah", "lokasi pasa ibuh", "lokasi pasa ibua",
                                   "Lokasi#Pasar#Ibuh", "lok dekat pasar ibuh", "LOKASI PASAR IBUH"])
def test_place_spellings(reader, typed):
    assert reader.replies(BUYER, typed) == [NEAR_IBUH]


@pytest.mark.parametrize("typed,place", [
    ("ibuh", "Ibuah"), ("kel. labuh basilang", "Labuah Basilang"),
    ("tanjung pauh", "Tanjuang Pauh"), ("sei durian", "Sungai Durian"),
    ("kampuang randang", "Kampung Rendang"), ("jl tan malaka", "Kampung Rendang"),
    ("terminal koto nan IV", "Terminal Koto Nan Ampek"), ("padang tangah", "Padangtongah Balainanduo"),
    ("padang tangah payobadar", "Padang Tangah Payobadar"),  # longest name wins
    ("sungai durain", "Sungai Durian"), ("payobasuang", "Payobasung"), ("tiakar", "Tiakar"),
    ("padang tiakar", "Padang Tiakar"), ("kapalo koto dibalai", "Kapalo Koto Dibalai"),
])
def test_place_names_old_names_and_typos(typed, place):
    found, rest = find_place(typed)
    assert found is not None and found.name == place and rest == ""


def test_coordinates_in_both_notations(conversation):
    conversation.check(f"""
        {BUYER} > LOKASI -0.2245,100.6530
        {BUYER} <~ Dekat -0.2245,100.6530: 1)BTH1 Batiah Nek Ani 120 m Jl Merapi buka
        {BUYER} > lokasi -0,2245 100,6530 batiah
        {BUYER} < Batiah dekat -0.2245,100.6530: 1)BTH1 Nek Ani 120 m Jl Merapi buka 2)OLH1 Kota Randang 1,2 km Jl Sudirman buka 3)BTH2 Uni Jus 1,9 km Jl Padang Alai buka
    """)


def test_product_words_keep_only_shops_that_sell_it(conversation):
    conversation.check(f"""
        {BUYER} > LOKASI Ibuh galamai
        {BUYER} < Galamai dekat Ibuah: 1)GLM4 Mak Sari 440 m Jl Jambu 22 buka 2)GLM1 Ibu Ros 1,2 km Jl Latsitarda buka 3)OLH1 Pusat Oleh-Oleh Kota Randang 1,5 km Jl Sudirman buka
        {BUYER} > lokasi sungai durian randang talua
        {BUYER} <~ Randang talua dekat Sungai Durian: 1)RDG4 Uni Yet 10 m Jl Tan Malaka 8 buka
        {BUYER} > lokasi tanjung pauh teh talua
        {BUYER} < Teh talua dekat Tanjuang Pauh: 1)TEH1 Teh Talua Ajo Dedi 1,1 km Pasar Ibuh Blok B 3 buka
        {BUYER} > lokasi ibuh pizza
        {BUYER} < Maaf, belum ada toko pizza yang tercatat dekat Ibuah. Coba: CARI pizza
    """)


def test_closed_shops_are_marked_in_payakumbuh_time(conversation):
    # 21:30 WIB: the tea stall (10:00-22:00) is open, the galamai makers (08:00-21:00) closed
    conversation.check(f"""
        @ 2026-11-27T21:30
        {BUYER} > LOKASI Pasar Ibuh
        {BUYER} < Dekat Pasar Ibuh: 1)TEH1 Teh Talua Ajo Dedi 370 m Pasar Ibuh buka 2)GLM4 Galamai Mak Sari 440 m Jl Jambu tutup 3)KUE1 Bundo Sari 640 m Jl Labuah Basilang tutup
        @ 2026-11-28T06:30
        {BUYER} > LOKASI terminal
        {BUYER} < Dekat Terminal Koto Nan Ampek: 1)PYR1 Nurma 190 m Jl Terminal 2)SNJ1 Sanjai Amak Haji 1,3 km Jl Kubu Gadang tutup 3)RDG6 Salmah 1,8 km Jl Soekarno-Hatta tutup
    """)
    # PYR1 gave no hours: neither "buka" nor "tutup" after it


def test_unknown_place_and_missing_place(conversation):
    conversation.check(f"""
        {BUYER} > LOKASI atlantis
        {BUYER} < Maaf, tempat atlantis tidak dikenal. Contoh: LOKASI Pasar Ibuh, LOKASI Ibuah rendang, LOKASI -0.2245,100.6530
        {BUYER} > lokasi
        {BUYER} < Ketik LOKASI <tempat> [makanan]. Contoh: LOKASI Pasar Ibuh galamai
    """)


def test_distances_read_the_indonesian_way():
    assert [distance_text(m) for m in (3, 347, 1234, 9960, 14_200)] == \
        ["10 m", "350 m", "1,2 km", "10,0 km", "14 km"]


def test_every_lokasi_reply_is_one_gsm7_sms(conversation):
    for text in ["lokasi pasar ibuh", "lokasi padang tangah payobadar rendang telur pedas",
                 "lokasi kapalo koto dibalai", "lokasi lembah harau", "lokasi 1.5,101.2",
                 "lokasi sawah padang aua kuniang kerupuk jangek", "lokasi " + "x" * 300,
                 "lokasi masjid gadang sanjai balado pedas", "lokasi smkn 2 pinyaram"]:
        conversation.send(BUYER, text)
    for sent in conversation.outgoing:
        assert sent.encoding == "gsm7" and sent.segments == 1 and len(sent.text) <= 160, sent


# -- shops named alike: "Rendang <owner>", "Dapoer Rendang <owner>", "Kerupuk Jangek Pak <owner>"
def test_namesakes_keep_the_owners_name_and_their_code(namesakes):
    # before: "1)Dapoer Rendang 210 m Jl H.R. buka 2)Rendang Rusdi 230 m Jl Sudirman buka
    # 3)Rendang Nan 510 m Jl Tan buka" (130 characters; no codes, owners and streets cut)
    namesakes.check(f"""
        {BUYER} > LOKASI -0.2300,100.6300
        {BUYER} < Dekat -0.2300,100.6300: 1)RRY Rusdi Yanto 210 m Jl H.R. Rasuna Said buka 2)RRS Rusdi 230 m Jl Sudirman buka 3)RNT Nan Tongga Pak Rusdi 510 m Jl Tan Malaka buka
        {BUYER} > lokasi -0.2372,100.6300
        {BUYER} < Dekat -0.2372,100.6300: 1)KJR Pak Rusdi 10 m Jl Soekarno-Hatta buka 2)KJN Pak Nasrul 200 m Jl Soekarno-Hatta 3)RNT Nan Tongga Pak Rusdi 290 m Jl Tan Malaka buka
        {BUYER} > lokasi -0.2300,100.6300 rendang
        {BUYER} < Rendang dekat -0.2300,100.6300: 1)RRY Rusdi Yanto 210 m H.R. Rasuna Said buka 2)RRS Rusdi 230 m Jl Sudirman buka 3)RNT Nan Tongga Rusdi 510 m Jl Tan Malaka buka
    """)


def test_nothing_is_shortened_while_it_fits(namesakes):
    namesakes.check(f"""
        {BUYER} > lokasi -0.2390,100.6300 kerupuk jangek
        {BUYER} < Kerupuk jangek dekat -0.2390,100.6300: 1)KJN Kerupuk Jangek Pak Nasrul 10 m Jl Soekarno-Hatta 9 2)KJR Kerupuk Jangek Pak Rusdi 200 m Jl Soekarno-Hatta 3 buka
    """)


def test_namesakes_in_english(namesakes):
    namesakes.send(BUYER, "lokasi")
    speaks_english(namesakes.engine, BUYER)
    namesakes.check(f"""
        {BUYER} > LOKASI -0.2372,100.6300
        {BUYER} < Near -0.2372,100.6300: 1)KJR Pak Rusdi 10 m Jl Soekarno-Hatta open 2)KJN Pak Nasrul 200 m Jl Soekarno-Hatta 3)RNT Nan Tongga Pak Rusdi 290 m Jl Tan Malaka open
    """)


def test_generic_words_are_data_a_translator_extends():
    from smsbot.search.shop_names import GENERIC, HONORIFIC, kind

    assert [kind(w) for w in ["Dapoer", "Rendang", "Oleh-Oleh", "Pak", "Uni", "Rusdi"]] == \
        [GENERIC, GENERIC, GENERIC, HONORIFIC, HONORIFIC, 0]
