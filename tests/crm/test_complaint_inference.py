"""Which shop and which category a complaint's words point at (only when clear)."""

import pytest
from sqlmodel import Session, select

from smsbot.catalog.models import Shop
from smsbot.crm.shop_match import infer_shop
from smsbot.crm.tickets import categorize, category_label, category_names


@pytest.mark.parametrize("text,shop", [
    ("RT01 basi", "RDG1"),
    ("beli di RDG2 kurang", "RDG2"),
    ("rendang uni emi keras", "RDG1"),
    ("rendang amak ida asin", "RDG2"),
    ("rendang bundo salma kurang", "RDG6"),  # spelling slip of Salmah
    ("galamai durian ada jamurnya", "GLM2"),  # a product name only one shop sells
    ("kacimuih nya basi", "TEH1"),
    ("pisang salai dari pak udin gosong", "SLE1"),
    ("rendang telur basi", None),  # seven shops sell it
    ("galamai keras", None),  # a generic name
    ("RT01 dan RT02 basi", None),  # two shops named
    ("the rendang is not yet here", None),  # "yet" alone is not Rendang Uni Yet
    ("pesanan saya belum sampai", None),
    ("toko tutup terus", None),  # "Toko Oleh-Oleh Uni Des" is the only shop called toko
    ("oleh-oleh di pusat kota mahal", None),
    ("toko oleh-oleh uni des tutup", "OLH2"),
    ("", None),
])
def test_infer_shop(seeded, text, shop):
    with Session(seeded) as session:
        found = infer_shop(session, text)
        assert (found.code_key if found else None) == shop


def test_infer_shop_among_the_shops_of_an_order(seeded):
    with Session(seeded) as session:
        ids = {s.code_key: s.id for s in session.exec(select(Shop)).all()}
        among = [ids["GLM1"], ids["RDG1"]]
        assert infer_shop(session, "galamai nya keras", among=among).code_key == "GLM1"
        assert infer_shop(session, "RT02 basi", among=among) is None  # not a shop of the order
        assert infer_shop(session, "semua basi", among=among) is None


@pytest.mark.parametrize("text,category", [
    ("rendangnya basi dan berjamur", "quality"),
    ("paket terlambat 3 hari, kurir nyasar", "shipment"),
    ("jumlah pesanan kurang 2, salah kirim harga", "sales"),
    ("penjualnya jutek dan kasar", "service"),
    ("sms promo terus, spam", "marketing"),
    ("tokonya tutup padahal jam buka", "branch"),
    ("halo", "service"),  # nothing matches: the default
    ("the rendang was stale", "quality"),
    ("late delivery", "shipment"),
])
def test_categorize(text, category):
    assert categorize(text) == category


def test_categories_follow_the_crm_architecture():
    assert set(category_names()) == {"quality", "shipment", "sales", "service", "marketing",
                                     "branch"}
    assert category_label("quality") == "kualitas"
    assert category_label("shipment", "en") == "shipment"
