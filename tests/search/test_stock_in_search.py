"""What CARI shows about stock follows every stock change at once, in the same process: a
seller's STOK, the stock an accepted order takes (TERIMA) and gives back (BATAL; TOLAK
only refuses a sub-order still waiting, which took nothing)."""

import pytest

from smsbot.orders import rules as orders

BUYER = "081300000001"
OTHER = "081300000002"
ETEK = "082384561207"  # RDG3 Randang Talua Mak Etek: RT03 18rb


@pytest.fixture
def fixed_codes(monkeypatch):
    queue = ["AB3CD4", "EF5GH6"]
    monkeypatch.setattr(orders, "new_code", lambda: queue.pop(0))


def first_line(conversation, text):
    reply = conversation.replies(OTHER, text)[0]
    return reply.split(" 2)")[0]


def every_page(conversation, text):
    """The CARI reply and each LAGI after it, as one text."""
    pages = conversation.replies(OTHER, text)
    while "Ketik LAGI" in pages[-1]:
        pages += conversation.replies(OTHER, "LAGI")
    return " ".join(pages)


def order_accepted(conversation, code):
    conversation.check(f"""
        {ETEK} > STOK RT03 2
        {ETEK} <~ RT03
        {BUYER} > cari randang talua
        {BUYER} < 1)RT03 Randang Talua 250g 18rb Mak Etek 2)RT02 Rendang Telur 250g 19rb Amak Ida 3)RT06 Rendang Telur 250g 22rb Bundo Salmah Ketik LAGI utk berikutnya
        {BUYER} > PESAN 1 2
        {BUYER} <~ Faktur {code}
        {BUYER} > YA
        {BUYER} <~ Pesanan {code} dikirim
        {ETEK} <~ Pesanan baru {code}
        {ETEK} > TERIMA {code}
        {ETEK} <~ Pesanan {code} diterima
        {BUYER} <~ menerima pesanan {code}
    """)


@pytest.mark.backends
def test_an_accepted_order_that_takes_the_last_items_shows_sold_out(conversation, fixed_codes):
    assert first_line(conversation, "cari randang talua") == "1)RT03 Randang Talua 250g 18rb Mak Etek"
    order_accepted(conversation, "AB3CD4")
    assert first_line(conversation, "cari randang talua") == "1)RT02 Rendang Telur 250g 19rb Amak Ida"
    assert every_page(conversation, "cari randang talua").endswith(
        "9)RT03 Randang Talua 250g 18rb Mak Etek (habis)")  # in stock first: RT03 has none


@pytest.mark.backends
def test_stock_given_back_by_batal_shows_in_stock_again(conversation, fixed_codes):
    order_accepted(conversation, "AB3CD4")
    assert "RT03 Randang Talua 250g 18rb Mak Etek (habis)" in every_page(conversation, "cari randang talua")
    conversation.check(f"""
        {BUYER} > BATAL AB3CD4
        {BUYER} <~ AB3CD4
        {ETEK} <~ AB3CD4
    """)
    assert first_line(conversation, "cari randang talua") == "1)RT03 Randang Talua 250g 18rb Mak Etek"
