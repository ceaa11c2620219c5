"""CARI for visitors who write English: grammar/glossary_en.toml maps their food words to the
catalog's, and English filler is ignored, so `search spicy rendang` = `cari pedas rendang`."""

import pytest
from sqlmodel import Session, select

from smsbot.catalog.models import Product, Shop
from smsbot.search.words import parse_query, table
from smsbot.sms import grammar as grammar_module

TOURIST = "081300000009"


def first_codes(conversation, text):
    reply = conversation.replies(TOURIST, text)[0]
    return [part.split()[0] for part in reply.split(")")[1:4]], reply


def test_the_glossary_is_a_real_one():
    glossary = grammar_module.load().data["glossary_en"]
    words = glossary["words"]
    assert len(words) >= 80
    for key in ["toffee", "cassava chips", "pancake", "egg rendang", "smoked banana",
                "peanut brittle", "bamboo rice", "palm sugar", "sticky rice", "chicken"]:
        assert key in words, key
    named = {name for names in words.values() for name in names}
    assert {"galamai", "sanjai", "pinyaram", "rendang telur", "pisang salai", "kipang",
            "lamang"} <= named


def test_english_keys_do_not_shadow_indonesian_spellings():
    """A key that is also a buyer's spelling ("the" for teh, "sale" for salai) would
    change what an Indonesian query means."""
    t = table()
    words = {w for key in grammar_module.load().data["glossary_en"]["words"] for w in key.split()}
    words |= set(grammar_module.load().data["glossary_en"]["stopwords"]["words"])
    assert not words & (set(t.spellings) | set(t.abbreviations))


@pytest.mark.parametrize("english,words", [
    ("search spicy rendang", ["pedas/balado", "rendang"]),
    ("where can I buy some rendang please? how much", ["rendang"]),
    ("what is the price of galamai pls", ["galamai"]),
    ("I want chicken rendang", ["ayam", "rendang"]),
    ("banana chips", ["keripik pisang/pisang salai"]),
    ("palm sugar", ["gula aren/gula merah/aren"]),
    ("egg rendang", ["rendang", "telur"]),
    ("spicy cassava chips", ["pedas/balado", "sanjai"]),
])
def test_english_queries_fold_to_catalog_words(english, words):
    assert parse_query(english).words == words


def test_cheap_sorts_by_price_like_murah():
    assert parse_query("cheap galamai").cheapest and parse_query("cheapest rendang").cheapest


@pytest.mark.parametrize("typed,code_prefix", [
    ("banana chips", "PS"), ("search smoked banana", "PS"), ("find toffee", "GL"),
    ("palm sugar toffee", "GL"), ("cassava chips", "SJ"), ("search spicy chips", "SJ"),
    ("pancake", "PY"), ("search egg rendang", "RT"), ("egg crisps", "RT"),
    ("puffed rice cake", "BT"), ("skin crackers", "JK"), ("egg tea", "TT"),
    ("search eel rendang", "RB"), ("find corn rendang", "RJ"), ("search cassava rendang", "RU"),
    ("where can I buy galamai please", "GL"), ("the talua", "TT"),
])
def test_visitors_words_find_the_food(reader, typed, code_prefix):
    codes, reply = first_codes(reader, typed)
    assert codes and all(c.startswith(code_prefix) for c in codes), reply


def test_spicy_rendang_is_pedas_rendang(conversation, seeded):
    with Session(seeded) as session:
        shop = session.exec(select(Shop).where(Shop.code == "RDG1")).one()
        session.add(Product(code="RT99", code_key="RT99", shop_id=shop.id, category="rendang",
                            name="Rendang Telur Pedas 250g", price_idr=27000, stock=5))
        session.commit()
    english = conversation.replies(TOURIST, "search spicy rendang")[0]
    assert english.startswith("1)RT99 Rendang Telur Pedas 250g 27rb")
    assert english == conversation.replies(TOURIST, "cari rendang pedas")[0]


def test_english_words_for_food_nobody_sells_are_not_ignored(conversation):
    """Before, `chicken rendang` listed Rendang Ubi and Rendang Jagung: "chicken" was an
    unknown word, dropped. Now it is ayam, which nobody sells."""
    conversation.check(f"""
        {TOURIST} > chicken rendang
        {TOURIST} < Sorry, no ayam rendang found. Did you mean: rendang? Example: CARI rendang
        {TOURIST} > cari rendang ayam
        {TOURIST} < Sorry, no rendang ayam found. Did you mean: rendang? Example: CARI rendang
        {TOURIST} > search spicy rendang
        {TOURIST} < Sorry, no pedas/balado rendang found. Did you mean: pedas, balado, rendang? Example: CARI pedas
        {TOURIST} > find peanut brittle
        {TOURIST} <~ Sorry, no kipang kacang/kipang found.
    """)
