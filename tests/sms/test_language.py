"""Visitors get English: a foreign number starts in English, English text switches a new
contact, ENGLISH / BAHASA choose for good; one English word does not flip an Indonesian buyer.
Also: every reply template exists in English, is GSM-7 and fits one SMS where the Indonesian does."""

import re
import string

import pytest
from sqlmodel import Session

from smsbot.contacts.directory import find, language_of
from smsbot.messages.gsm7 import fits, is_gsm7
from smsbot.messages.limits import Limits
from smsbot.sms import grammar as grammar_module, wiring
from smsbot.testing import Conversation

TOURIST = "+6591234567"  # Singapore
MALAYSIAN = "+60123456789"
BUYER = "081300000001"  # a Payakumbuh buyer
NEW_BUYER = "081300000077"  # a number we have never seen (a visitor's local SIM, or a local)
# The transcripts share one seeded database per module (`reader`): each test has its own numbers.

HELP_EN = ("Payakumbuh UMKM SMS. Send: CARI <food>, LOKASI <place>, PESAN <code> <qty>, INFO <shop>, STATUS, "
           "KELUHAN, NILAI, BAHASA, HELP. Sellers: HELP SELLER")
HELP_ID = ("Payakumbuh UMKM SMS. Ketik: CARI <makanan>, LOKASI <tempat>, PESAN <kode> <jml>, INFO <toko>, STATUS, "
           "KELUHAN, NILAI, ENGLISH, BANTUAN. Penjual: BANTUAN PENJUAL")
TO_EN = ("Our replies are now in English. Untuk bahasa Indonesia, ketik BAHASA. "
         "Send HELP for the commands.")
TO_ID = ("Balasan kami sekarang dalam bahasa Indonesia. For English, send ENGLISH. "
         "Ketik BANTUAN utk daftar perintah.")


def language(engine, phone):
    with Session(engine) as session:
        return language_of(session, phone)


def english(text: str) -> bool:
    """An English reply: the English help, or search results with their English footer."""
    return text == HELP_EN or (text.startswith("1)") and "Ketik" not in text)


def test_a_singapore_number_is_answered_in_english(reader, reader_engine):
    conversation = reader
    conversation.check(f"""
        {TOURIST} > hi
        {TOURIST} < {HELP_EN}
        {TOURIST} > in english pls
        {TOURIST} < {HELP_EN}
        {TOURIST} > CARI rendang telur
        {TOURIST} <~ Send LAGI for more
        {TOURIST} > bantuan cari
        {TOURIST} < CARI <food name>: compare prices and shops. Example: CARI rendang telur
    """)
    [answer] = conversation.replies(TOURIST, "what is galamai")
    assert english(answer), answer
    assert language(reader_engine, TOURIST) == "en"


def test_english_text_from_a_new_indonesian_number_switches_to_english(reader):
    """Visitors often buy a local SIM: what they write decides."""
    conversation = reader
    conversation.check(f"""
        {NEW_BUYER} > hello, where can i buy rendang?
        {NEW_BUYER} <~ Send
    """)
    [answer] = conversation.replies(NEW_BUYER, "what is galamai")
    assert english(answer), answer
    assert conversation.replies(NEW_BUYER, "BANTUAN") == [HELP_EN]


def test_a_malaysian_starts_in_indonesian_and_english_switches(reader):
    """Malay readers understand the Indonesian menu (CARI, PESAN, HARGA are Malay too)."""
    reader.check(f"""
        {MALAYSIAN} > BANTUAN
        {MALAYSIAN} < {HELP_ID}
        {MALAYSIAN} > hi
        {MALAYSIAN} < {HELP_ID}
        {MALAYSIAN} > hello, what is this?
        {MALAYSIAN} < {HELP_EN}
        +60198765432 > hi
        +60198765432 < {HELP_EN}
    """)


def test_one_english_word_does_not_flip_an_indonesian_buyer(reader, reader_engine):
    buyer = "081300000071"
    reader.check(f"""
        {buyer} > CARI sanjai
        {buyer} <~ 1)
        {buyer} > hi
        {buyer} < {HELP_ID}
        {buyer} > CARI rendang telur please
        {buyer} <~ Ketik LAGI utk berikutnya
        {buyer} > ORDER RT01 2
        {buyer} <~ YA
        {buyer} > mau order rendang dong
        {buyer} <~ Ketik
    """)
    assert language(reader_engine, "+6281300000071") == "id"


def test_a_whole_english_sms_switches_a_known_buyer(reader):
    buyer = "081300000072"
    reader.check(f"""
        {buyer} > halo, ada rendang?
        {buyer} <~ Ketik LAGI utk berikutnya
        {buyer} > help me please
        {buyer} < {HELP_EN}
    """)


@pytest.mark.backends
def test_english_and_bahasa_choose_for_good(conversation, seeded):
    conversation.check(f"""
        {TOURIST} > BAHASA
        {TOURIST} < {TO_ID}
        {TOURIST} > hello, what is good here?
        {TOURIST} < {HELP_ID}
        {TOURIST} > LANG EN
        {TOURIST} < {TO_EN}
        {BUYER} > ENGLISH
        {BUYER} < {TO_EN}
        {BUYER} > halo kak, ada rendang yang murah?
        {BUYER} <~ Send
        {BUYER} > INDONESIA
        {BUYER} < {TO_ID}
        {BUYER} > INGGRIS
        {BUYER} < {TO_EN}
        {BUYER} > LANG ID
        {BUYER} < {TO_ID}
        {BUYER} > LANG
        {BUYER} < BAHASA: balasan dlm bahasa Indonesia. ENGLISH: replies in English. Juga: LANG ID, LANG EN
    """)
    assert language(seeded, "+6591234567") == "en"
    assert language(seeded, "+6281300000001") == "id"


def test_a_sellers_command_text_in_english_keeps_the_sellers_language(reader, reader_engine):
    """A seller's or admin's command text (a refusal, a broadcast) is for buyers; it says
    nothing of the sender's own language."""
    with Session(reader_engine) as session:
        assert find(session, "+6281266104512").role == "seller"
    reader.send("081266104512", "TOLAK ZZZZZZ sorry we are sold out of banana chips today")
    assert language(reader_engine, "+6281266104512") == "id"


def test_an_english_visitor_orders_in_english(reader):
    visitor = "+447700900123"  # United Kingdom
    reader.send(visitor, "hi")
    [invoice] = reader.replies(visitor, "PESAN RT01 2")
    assert "Ketik" not in invoice and "Balas" not in invoice and "YA" in invoice, invoice


# -- every template in English, GSM-7, one SMS where the Indonesian is -------------------------
SAMPLES = {  # realistic values for placeholders: the longest a reply usually carries
    "code": "AB3CD4", "product": "RT01", "name": "Rendang Telur 250g", "shop": "Rendang Uni Emi",
    "qty": "2", "stock": "50", "old": "40", "price": "25.000", "total": "Rp50.000",
    "word": "PESANN", "query": "rendang kapau", "words": "rendang, galamai", "first": "rendang",
    "ticket": "K7QX", "minutes": "30", "reason": "stok habis", "when": "besok 09:00",
    "phone": "081266104512", "id": "12", "n": "3", "rating": "5", "discount": "10",
    "days": "3", "place": "Pasar Ibuh", "keyword": "CARI", "pin": "1234",
}


def render(grammar, key: str, lang: str) -> str:
    """The template with sample values; {menu} is the real buyer menu, {lines} a search list."""
    template = grammar.template(key, lang)
    fields = {field for _text, field, _spec, _conv in string.Formatter().parse(template) if field}
    values = {field: SAMPLES.get(field, "x" * 8) for field in fields - {"menu"}}
    if "lines" in values:
        values["lines"] = "1)RT03 Randang Talua 250g 18rb Mak Etek 2)RT02 Rendang Telur 250g 19rb"
    return grammar.render(key, lang, **values)


def test_every_reply_template_exists_in_english_is_gsm7_and_fits_where_indonesian_does():
    grammar = grammar_module.load()
    keys = sorted(set(grammar.replies["id"]) | set(grammar.replies["en"]))
    assert [key for key in keys if key not in grammar.replies["en"]] == []
    for key in keys:
        english_ = render(grammar, key, "en")
        assert is_gsm7(english_), (key, english_)
        if key in grammar.replies["id"]:
            indonesian = render(grammar, key, "id")
            assert is_gsm7(indonesian), (key, indonesian)
            if fits(indonesian):
                assert fits(english_), (key, len(english_), english_)


def test_every_keyword_usage_and_menu_entry_exists_in_english():
    grammar = grammar_module.load()
    for keyword in grammar.keywords.values():
        assert "en" in keyword.usage, keyword.name
        assert is_gsm7(keyword.usage["en"]) and fits(keyword.usage["en"]), keyword.name
        if keyword.menu:
            assert "en" in keyword.menu, keyword.name


def test_language_words_are_one_language_each():
    data = grammar_module.load().data["languages"]
    both = set(data["words"]["en"]) & set(data["words"]["id"])
    assert both == set()
    assert all(re.fullmatch(r"[a-z']+", word) for words in data["words"].values() for word in words)


def test_the_too_many_notice_and_the_error_reply_follow_the_language(reader, reader_engine,
                                                                      monkeypatch):
    visitor = "+6591234502"
    limited = Conversation(reader_engine, limits=Limits(per_window=1))
    assert limited.replies(visitor, "hi") == [HELP_EN]
    assert limited.replies(visitor, "CARI rendang") == [
        "Too many messages from your number. We stop replying for a while; your messages are "
        "kept. Try again later."]

    def explode(ctx, cmd):
        raise RuntimeError("database on fire")

    monkeypatch.setitem(wiring.HANDLERS, "cari", explode)
    assert reader.replies("+6591234503", "hi") == [HELP_EN]
    assert reader.replies("+6591234503", "CARI rendang") == [
        "Sorry, something went wrong. Your message is saved; try again shortly or send HELP."]
