"""NILAI after a finished order, and the rating in CARI results."""

from sqlmodel import Session, select

from smsbot.catalog.models import Shop
from smsbot.crm.reviews import shop_rating, shop_ratings
from smsbot.orders.models import SubOrder

from ..crm_data import make_order

BUYER, STRANGER = "081300000001", "081300000009"


def test_rating_a_finished_order_once_shows_in_cari(conversation, seeded):
    make_order(seeded, "ABC234", BUYER, ["GLM1"])
    make_order(seeded, "DEF567", "081300000002", ["GLM1"])
    conversation.check(f"""
        {BUYER} > NILAI ABC234 5 galamainya enak
        {BUYER} < Terima kasih! Nilai 5/5 utk Galamai Ibu Ros (pesanan ABC234) tersimpan.
        081277093318 < Pembeli menilai pesanan ABC234: 5/5. galamainya enak
        {BUYER} > nilai abc234 1
        {BUYER} < Pesanan ABC234 sudah Anda nilai. Terima kasih!
        081300000002 > rating DEF567 4
        081300000002 < Terima kasih! Nilai 4/5 utk Galamai Ibu Ros (pesanan DEF567) tersimpan.
        081277093318 < Pembeli menilai pesanan DEF567: 4/5.
        {BUYER} > CARI GL01
        {BUYER} < 1)GL01 Galamai Original 500g 50rb Galamai Ibu Ros *4.5
    """)


def test_only_the_buyer_and_only_after_done(conversation, seeded):
    make_order(seeded, "ABC234", BUYER, {"GLM1": "shipped"})
    conversation.check(f"""
        {STRANGER} > NILAI ABC234 1 jelek
        {STRANGER} < Pesanan ABC234 tidak ditemukan. Periksa kode di SMS pesanan Anda.
        {BUYER} > NILAI ABC234 5
        {BUYER} < Pesanan ABC234 belum selesai. Nilai bisa dikirim setelah pesanan SELESAI.
        {BUYER} > NILAI ABC234 6
        {BUYER} < Ketik NILAI <kode pesanan> <1-5> [komentar]. Contoh: NILAI ABC234 5 rendangnya enak
        {BUYER} > NILAI ABC234
        {BUYER} < Ketik NILAI <kode pesanan> <1-5> [komentar]. Contoh: NILAI ABC234 5 rendangnya enak
    """)


def test_an_order_from_two_shops_rates_each_finished_shop_once(conversation, seeded):
    make_order(seeded, "ABC234", BUYER, {"GLM1": "done", "RDG1": "accepted"})
    assert conversation.replies(BUYER, "NILAI ABC234 4") == [
        "Terima kasih! Nilai 4/5 utk Galamai Ibu Ros (pesanan ABC234) tersimpan."]
    with Session(seeded) as session:
        rdg1 = session.exec(select(Shop).where(Shop.code_key == "RDG1")).one().id
        sub = session.exec(select(SubOrder).where(SubOrder.shop_id == rdg1)).one()
        sub.status = "done"
        session.add(sub)
        session.commit()
    assert conversation.replies(BUYER, "NILAI ABC234 2 telat") == [
        "Terima kasih! Nilai 2/5 utk Rendang Uni Emi (pesanan ABC234) tersimpan."]
    with Session(seeded) as session:
        glm1 = session.exec(select(Shop).where(Shop.code_key == "GLM1")).one()
        assert shop_rating(session, glm1.id) == 4.0
        assert shop_rating(session, rdg1) == 2.0
        assert shop_ratings(session) == {glm1.id: 4.0, rdg1: 2.0}
        assert shop_rating(session, glm1.id + 1000) is None
        assert shop_ratings(session, []) == {}


def test_a_comment_with_extension_characters_still_reaches_the_shop_in_one_sms(conversation,
                                                                              seeded):
    """`[`, `]`, `{`, `}`, `~`, `^`, `|`, `\\` and the euro sign take two septets each: a
    comment cut to 160 characters would cost the shop a second SMS."""
    make_order(seeded, "ABC234", BUYER, ["GLM1"])
    comment = "enak [galamai] {manis} ~ pas | harga 50rb ~3€ " * 4
    conversation.send(BUYER, f"NILAI ABC234 5 {comment}")
    [notice] = [s for s in conversation.outgoing if s.to == "081277093318"]
    assert notice.text.startswith("Pembeli menilai pesanan ABC234: 5/5. enak [galamai] {manis}")
    assert notice.text.endswith("...")
    assert notice.segments == 1
