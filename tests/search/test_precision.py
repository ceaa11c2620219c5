"""A search list must be explained by a real word of the query: chat, operator promos and
fraud SMS never list a product, with CARI or without a keyword."""

from pathlib import Path

import pytest

from smsbot.search import live as search_index
from smsbot.search.words import parse_query

BUYER = "081300000001"
CHATTER = [line.strip() for line in (Path(__file__).parent / "chatter.txt").read_text().splitlines()
           if line.strip() and not line.startswith("#")]


def test_a_chatty_sentence_is_not_found_instead_of_a_random_product(conversation):
    """Before: 1)PY01 Pinyaram Gula Merah, because "meriah" looks like "merah"."""
    conversation.check(f"""
        {BUYER} > cari yang seken, murah meriah kualiatasnya masih bagus kok
        {BUYER} < Maaf, seken kualiatasnya masih bagus kok tidak ditemukan. Coba: CARI rendang, galamai, sanjai, pisang salai
        {BUYER} > cari rendang murah meriah
        {BUYER} <~ 1)RU02 Rendang Ubi 250g 11rb
    """)


def test_chatter_never_lists_a_product(reader):
    assert len(CHATTER) >= 40
    phone = "081300000077"  # no earlier list, so LAGI ("lagi dimana?") has nothing to page
    listed = []
    for text in CHATTER:
        for sent in (text, "CARI " + text):
            replies = reader.replies(phone, sent)
            if any(reply.startswith("1)") or " 1)" in reply for reply in replies):
                listed.append((sent, replies))
    assert not listed


@pytest.mark.parametrize("text", ["cari maaf salah kirim", "cari barang bekas masih mulus",
                                  "cari biasa aja sih", "cari 250g", "cari jadi ke rumah uni",
                                  "cari senang sekali"])
def test_words_that_only_look_like_food_explain_nothing(reader, text):
    """salah ~ salai, barang ~ bawang, senang ~ rendang are typos only in a query mostly
    made of food words; "original" (biasa) and a size only narrow; "uni" is an address."""
    assert reader.replies(BUYER, text)[0].startswith("Maaf, "), text


@pytest.mark.parametrize("text,code", [
    ("cari galamay", "GL"), ("cari pisag slai", "PS"), ("cari rnedang telur", "RT"),
    ("cari rend telur", "RT"), ("cari uni emi", "R"), ("cari sanjai original", "SJ"),
    ("cari galamai yg enak", "GL"), ("cari durian", "GL07"), ("cari gelaai murah", "GL"),
    ("ada jual sanjia original", "SJ"),
])
def test_real_searches_still_find(reader, text, code):
    reply = reader.replies(BUYER, text)[0]
    assert reply.startswith("1)" + code), reply


def test_keywordless_chat_with_a_variant_word_lists_nothing(reader):
    """"biasa" is original: still a food word for the keyword-less test (`ada jual sanjia
    original` is a search), but alone it explains no list."""
    assert reader.replies(BUYER, "biasa aja sih")[0].startswith("Maaf, original tidak ditemukan")


def test_the_index_explains_only_with_real_words(reader_engine):
    from sqlmodel import Session

    with Session(reader_engine) as session:
        index = search_index.load(session)
    assert index.search(parse_query("meriah"))[0] == []
    assert index.search(parse_query("galamay"))[0]
    assert not index.is_food_word("meriah") and index.is_food_word("galamay")
