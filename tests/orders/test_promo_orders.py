"""A seller's PROMO price is what a buyer pays when ordering, while the promo runs."""


def invoice(conversation, when):
    conversation.at(when)
    return [s.text for s in conversation.send("081300000001", "PESAN RT01 2") if s.to == "081300000001"]


def test_promo_price_applies_to_orders_while_it_runs(conversation):
    conversation.at("2026-11-27T09:00")
    seller = [s.text for s in conversation.send("081266104512", "PROMO RT01 20 3")]
    assert seller, "the seller gets an answer"
    during = invoice(conversation, "2026-11-28T10:00")[0]
    assert "20rb" in during and "(promo)" in during and "40rb" in during  # 2 x 25rb -20%
    conversation.send("081300000001", "BATAL")
    after = invoice(conversation, "2026-12-01T10:00")[0]
    assert "(promo)" not in after and "50rb" in after


def test_cari_shows_the_promo_price_while_it_runs(conversation):
    conversation.at("2026-11-27T09:00")
    conversation.send("081266104512", "PROMO RT01 20 3")
    conversation.at("2026-11-28T10:00")
    assert "RT01 Rendang Telur 250g 20rb" in conversation.replies("081300000001", "CARI RT01")[0]
    conversation.at("2026-12-01T10:00")
    assert "RT01 Rendang Telur 250g 25rb" in conversation.replies("081300000001", "CARI RT01")[0]
