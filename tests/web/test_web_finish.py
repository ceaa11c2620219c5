"""What a phone screen and a returning user found: labels, promos, the icon, the way back
after an expired session, web searches counted apart."""

from datetime import timedelta

from sqlmodel import Session, select

from smsbot.catalog.models import Product, PromoPrice
from smsbot.clock import to_db
from smsbot.testing import Conversation

from ..conftest import NOW
from .test_web_dash import ADMIN, ADMIN_E164, BUYER, EMI, EMI_E164, client, post
from .test_web_login import codes_sent, csrf_of, enter_code


def add_promo(engine, code="RT01", price=20000):
    with Session(engine) as session:
        product = session.exec(select(Product).where(Product.code_key == code)).one()
        session.add(PromoPrice(product_id=product.id, percent=20, price_idr=price,
                               starts_at=to_db(NOW - timedelta(hours=1)),
                               ends_at=to_db(NOW + timedelta(days=3)), created_at=to_db(NOW)))
        session.commit()


def test_the_seller_sees_the_promo_price_of_a_product(web_app, seeded):
    add_promo(seeded)
    page = client(web_app, seeded, EMI, EMI_E164).get("/dasbor/produk").text
    assert "Promo Rp20.000 (20%) sampai 30-11-2026" in page


def test_stock_and_price_boxes_are_labelled_for_a_phone(web_app, seeded):
    page = client(web_app, seeded, EMI, EMI_E164).get("/dasbor/produk").text
    assert 'data-label="Stok"' in page and 'data-label="Harga"' in page


def test_a_product_without_reviews_says_so_once(web):
    assert web.get("/produk/RT01").text.count("Belum ada ulasan") == 1


def test_the_site_has_a_favicon(web):
    assert 'rel="icon"' in web.get("/").text
    response = web.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg")


def test_a_button_pressed_after_the_session_ended_returns_to_its_page(web_app, seeded, web):
    seller = client(web_app, seeded, EMI, EMI_E164)
    token = csrf_of(seller, "/dasbor/produk")
    seller.post("/keluar", data={"csrf": token})
    response = seller.post("/dasbor/produk/1/stok", data={"csrf": token, "stok": "5"},
                           headers={"referer": "http://testserver/dasbor/produk"})
    assert response.status_code == 303
    assert response.headers["location"] == "/masuk?next=/dasbor/produk"
    seller.post("/masuk", data={"csrf": csrf_of(seller), "phone": EMI,
                                "next": "/dasbor/produk"})
    response = enter_code(seller, codes_sent(seeded, EMI_E164)[-1])
    assert response.headers["location"] == "/dasbor/produk"
    assert seller.get("/dasbor/produk").status_code == 200


def test_the_405_page_is_indonesian(web):
    response = web.get("/keluar")
    assert response.status_code == 405
    assert "Metode tidak diizinkan" in response.text and "Method Not Allowed" not in response.text


def test_web_searches_do_not_fill_the_admins_list(web_app, seeded, web):
    Conversation(seeded).send(BUYER, "CARI pizza keju")
    for _ in range(3):
        web.get("/cari", params={"q": "iklan judi online"})
    admin = client(web_app, seeded, ADMIN, ADMIN_E164)
    page = admin.get("/dasbor/admin/pencarian").text
    assert "pizza keju" in page and "judi" not in page
    page = admin.get("/dasbor/admin/pencarian?asal=web").text
    assert "judi" in page and "pizza keju" not in page


def test_a_broadcast_text_is_shown_whole_before_approval(web_app, seeded):
    text = ("PROMO Rendang Uni Emi diskon 20% utk semua rendang, harga jadi Rp20.000 per "
            "bungkus sampai 31-12-2026")
    Conversation(seeded)  # the seller asks by SMS in real life; here made as pending directly
    from smsbot.broadcasts import runs as broadcasts
    with Session(seeded) as session:
        broadcasts.create(session, text, NOW, NOW, status="pending", created_by=EMI_E164)
        session.commit()
    admin = client(web_app, seeded, ADMIN, ADMIN_E164)
    page = admin.get("/dasbor/admin/siaran").text
    assert text in page and "Setujui" in page
    assert post(admin, "/dasbor/admin/siaran/1/setujui", "/dasbor/admin/siaran").status_code == 303
