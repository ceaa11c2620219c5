"""The public website over HTTP: search as CARI searches, product and shop pages, the map's
data, and what a visitor sees for bad input. Read-only tests share one seeded database."""

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from smsbot.catalog.models import Product, Shop
from smsbot.crm.models import Review
from smsbot.orders.models import Order, OrderItem, SubOrder
from smsbot.search.models import SearchMiss
from smsbot.web.app import create_app
from smsbot.web.config import WebConfig
from tests.conftest import NOW

BUYER = "081300000001"
SELLER_RDG1 = "081266104512"


@pytest.fixture(scope="module")
def site(reader_engine):
    """The website on the module's shared seeded database, at 10:00 WIB, no tiles."""
    config = WebConfig(tile_url="", bot_number="0812 0000 0000",
                       clock=lambda: NOW)
    with TestClient(create_app(reader_engine, config), follow_redirects=False) as client:
        yield client


def html_of(response) -> str:
    """The page with links as paths (url_for writes absolute URLs)."""
    return response.text.replace("http://testserver", "")


def codes_in(html: str) -> list[str]:
    """Product codes of the result list, in the order shown."""
    return re.findall(r'<a class="name" href="/produk/([^"]+)"', html)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())



# -- home and search ---------------------------------------------------------------------------
def test_home_has_a_search_form_that_works_without_javascript(site):
    html = html_of(site.get("/"))
    assert re.search(r'<form class="search" method="get" action="/cari"', html)
    assert 'name="q"' in html
    assert 'href="/cari?q=rendang"' in html and 'href="/peta"' in html
    assert "PESAN RT01 2" in html  # how to order by SMS


def test_search_lists_the_same_products_in_the_same_order_as_cari(site, reader):
    sms = reader.replies(BUYER, "CARI rendang telur")[0]
    html = html_of(site.get("/cari", params={"q": "rendang telur"}))
    web_codes = codes_in(html)
    assert web_codes[:3] == re.findall(r"\d\)(\w+) ", sms)[:3]  # RT03, RT02, RT06
    assert len(web_codes) == 9 and web_codes[-1] == "RT08"  # sold out comes last
    assert "Rp18.000" in html and "Randang Talua Mak Etek" in html
    assert 'href="/toko/RDG3"' in html and "habis" in html


@pytest.mark.parametrize("typed", ["randang talua", "rndang telur", "RT01"])
def test_search_understands_what_cari_understands(site, reader, typed):
    sms = reader.replies(BUYER, f"CARI {typed}")[0]
    web_codes = codes_in(html_of(site.get("/cari", params={"q": typed})))
    assert web_codes and web_codes[0] == re.findall(r"\d\)(\w+) ", sms)[0]


@pytest.mark.parametrize("q", ["", "   ", "di yang"])
def test_an_empty_search_asks_for_a_food_name(site, q):
    response = site.get("/cari", params={"q": q})
    assert response.status_code == 200
    assert "Ketik nama makanan" in html_of(response) and codes_in(html_of(response)) == []


def test_a_very_long_or_hostile_query_is_cut_and_escaped(site):
    response = site.get("/cari", params={"q": "rendang " * 2000})
    assert response.status_code == 200 and codes_in(html_of(response))
    assert 'value="' + ("rendang " * 20).strip()[:40] in html_of(response)
    assert len(re.search(r'value="([^"]*)"', html_of(response)).group(1)) <= 160
    hostile = html_of(site.get("/cari", params={"q": '<script>alert(1)</script>"'}))
    assert "<script>alert" not in hostile and "&lt;script&gt;" in hostile


def test_a_search_nobody_serves_suggests_and_is_recorded_like_cari(web, seeded):
    html = html_of(web.get("/cari", params={"q": "pizza"}))
    assert 'Belum ada yang menjual "pizza"' in html and codes_in(html) == []
    typo = html_of(web.get("/cari", params={"q": "pisza"}))  # CARI: "Mungkin maksud Anda: pisang?"
    assert "Mungkin maksud Anda: pisang" in text_of(typo) and 'href="/cari?q=pisang"' in typo
    with Session(seeded) as session:
        misses = session.exec(select(SearchMiss).where(SearchMiss.query == "pizza")).all()
    assert [(m.phone, m.text) for m in misses] == [("web", "pizza")]
    assert '<meta name="robots" content="noindex, nofollow">' in html  # crawlers: no misses


def test_a_running_promo_shows_beside_the_normal_price(web, conversation):
    conversation.send(SELLER_RDG1, "PROMO RT01 20 3")  # 10:00 WIB, 3 days
    html = html_of(web.get("/cari", params={"q": "RT01"}))
    assert '<span class="promo">Rp20.000</span> <s>Rp25.000</s>' in html
    product = text_of(html_of(web.get("/produk/RT01")))
    assert "Rp20.000 Rp25.000" in product and "Promo 20% sampai 30-11-2026 10:00 WIB" in product


# -- product --------------------------------------------------------------------------------
def test_product_page_shows_price_stock_shop_and_the_sms_to_order(site):
    response = site.get("/produk/rt01")  # codes are case-insensitive, as in SMS
    assert response.status_code == 200
    page = text_of(html_of(response))
    assert "Rendang Telur 250g" in page and "Kode RT01" in page and "Rp25.000 / bungkus" in page
    assert "Stok: 80" in page and "Belum ada foto" in page
    assert 'href="/toko/RDG1"' in html_of(response) and "Rendang Uni Emi" in page
    assert "Kirim SMS ini ke 0812 0000 0000 : PESAN RT01 1" in page
    assert 'href="sms:081200000000?body=PESAN%20RT01%201"' in html_of(response)
    assert "Belum ada ulasan" in page


@pytest.mark.parametrize("path", ["/produk/ZZ99", "/produk/" + "X" * 500, "/produk/%20",
                                  "/toko/NOPE", "/toko/" + "Y" * 300])
def test_unknown_codes_get_a_friendly_indonesian_404(site, path):
    response = site.get(path)
    assert response.status_code == 404
    page = text_of(html_of(response))
    assert "Tidak ditemukan" in page and "tidak ada" in page and "Cari makanan" in page
    assert "X" * 30 not in page and "Y" * 30 not in page


def _review(engine, shop_code: str, product_code: str, stars: int, comment: str) -> None:
    """A finished order of one product, rated by the buyer (as NILAI would leave it)."""
    with Session(engine) as session:
        shop = session.exec(select(Shop).where(Shop.code_key == shop_code)).one()
        product = session.exec(select(Product).where(Product.code_key == product_code)).one()
        order = Order(code=f"R{product_code}{stars}", buyer_phone="+6281300000001",
                      status="confirmed", created_at=NOW)
        session.add(order)
        session.flush()
        sub = SubOrder(order_id=order.id, shop_id=shop.id, status="done", created_at=NOW,
                       updated_at=NOW, done_at=NOW)
        session.add(sub)
        session.flush()
        session.add(OrderItem(suborder_id=sub.id, product_id=product.id, product_code=product.code,
                              name=product.name, qty=1, unit_price_idr=product.price_idr))
        session.add(Review(order_id=order.id, suborder_id=sub.id, shop_id=shop.id,
                           buyer_phone="+6281300000001", stars=stars, comment=comment,
                           created_at=NOW - timedelta(days=stars)))
        session.commit()


def test_ratings_and_reviews_show_on_product_and_shop_pages(web, seeded):
    _review(seeded, "RDG1", "RT01", 5, "Enak sekali, pedasnya pas")
    _review(seeded, "RDG1", "RB01", 4, "Belutnya renyah")
    product = html_of(web.get("/produk/RT01"))
    assert "Enak sekali, pedasnya pas" in product and "Belutnya renyah" not in product
    assert "4.5 (2 ulasan)" in text_of(product)
    shop = html_of(web.get("/toko/RDG1"))
    assert "Enak sekali" in shop and "Belutnya renyah" in shop
    assert "081300000001" not in shop + product and "6281300000001" not in shop + product
    assert "★ 4.5" in text_of(html_of(web.get("/cari", params={"q": "RT01"})))


# -- shop -----------------------------------------------------------------------------------
def test_shop_page_shows_address_hours_open_now_products_and_how_to_order(site):
    response = site.get("/toko/rdg1")
    assert response.status_code == 200
    page = text_of(html_of(response))
    assert "Rendang Uni Emi" in page and "Jl. Tan Malaka No. 12" in page
    assert "Kelurahan Sungai Durian" in page and "Jam buka 08:00-21:00 WIB" in page
    assert "Buka sekarang" in page  # 10:00 WIB
    for code in ["RT01", "RT09", "RB01", "RP01"]:
        assert f'href="/produk/{code}"' in html_of(response)
    assert "PESAN RB01 1" in page and "0812 0000 0000" in page


def test_open_now_follows_the_clock_in_payakumbuh_time(web, web_clock):
    web_clock.now = NOW + timedelta(hours=11, minutes=30)  # 21:30 WIB
    page = text_of(html_of(web.get("/toko/RDG1")))
    assert "Tutup" in page and "Buka sekarang" not in page
    web_clock.now = NOW + timedelta(hours=10, minutes=59)  # 20:59 WIB
    assert "Buka sekarang" in text_of(html_of(web.get("/toko/RDG1")))


# -- map ------------------------------------------------------------------------------------
def test_map_without_javascript_lists_every_shop(site, reader_engine):
    html = html_of(site.get("/peta"))
    with Session(reader_engine) as session:
        shops = session.exec(select(Shop.code)).all()
    assert len(shops) == 28
    for code in shops:
        assert f'href="/toko/{code}"' in html
    assert '<div id="map-box" hidden>' in html  # map.js shows it; without JS only the list
    assert 'src="/static/leaflet/leaflet.js"' in html and "unpkg" not in html
    assert 'data-tiles=""' in html


def test_map_filter_uses_the_same_search_as_cari(site):
    html = html_of(site.get("/cari", params={"q": "sanjai"}))
    searched = set(re.findall(r'href="/toko/([^"]+)"', html))
    listed = set(re.findall(r'href="/toko/([^"]+)"', html_of(site.get("/peta", params={"q": "sanjai"}))))
    data = site.get("/peta.json", params={"q": "sanjai"}).json()
    assert searched and listed == searched == {s["code"] for s in data["shops"]}
    none = html_of(site.get("/peta", params={"q": "pizza"}))
    assert "Belum ada toko yang menjual" in none


def test_map_json_gives_markers_with_links_to_shop_pages(site):
    data = site.get("/peta.json").json()
    assert len(data["shops"]) == 28
    first = data["shops"][0]
    assert set(first) >= {"code", "name", "lat", "lon", "address", "open", "url"}
    assert all(s["url"] == f"/toko/{s['code']}" for s in data["shops"])
    assert sum(s["lat"] is not None for s in data["shops"]) >= 20


def test_nearest_shops_are_those_lokasi_names(site, reader):
    sms = reader.replies(BUYER, "LOKASI -0.2245,100.6530")[0]
    data = site.get("/peta.json", params={"lat": "-0.2245", "lon": "100.6530"}).json()
    names = [s["name"] for s in data["shops"]]
    metres = [s["metres"] for s in data["shops"]]
    assert len(names) == 5 and metres == sorted(metres)
    assert names[0] in sms and data["shops"][0]["distance"] in sms
    page = html_of(site.get("/peta", params={"lat": "-0.2245", "lon": "100.6530"}))
    assert "Toko terdekat (5)" in page


@pytest.mark.parametrize("params", [{"lat": "x", "lon": "100"}, {"lat": "-0.2"},
                                    {"lat": "95", "lon": "100"}, {"lat": "nan", "lon": "1e999"}])
def test_map_json_refuses_a_bad_place_in_indonesian(site, params):
    response = site.get("/peta.json", params=params)
    assert response.status_code == 400
    assert "Lokasi tidak dikenal" in response.json()["error"]
    assert site.get("/peta", params=params).status_code == 200  # the page just lists shops


def test_leaflet_and_its_marker_images_are_served_from_the_package(site):
    for path in ["/static/leaflet/leaflet.js", "/static/leaflet/leaflet.css",
                 "/static/leaflet/images/marker-icon.png", "/static/leaflet/images/marker-shadow.png",
                 "/static/map.js", "/static/public.css"]:
        assert site.get(path).status_code == 200, path


# -- the dashboard is not public ----------------------------------------------------------------
def test_a_buyer_who_is_not_logged_in_cannot_reach_the_dashboard(site):
    response = site.get("/dasbor")
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/masuk")


def test_searching_the_web_does_not_touch_anyones_cari_list(web, seeded):
    web.get("/cari", params={"q": "rendang"})
    with Session(seeded) as session:
        from smsbot.sms.models import ConversationState

        assert session.exec(select(func.count()).select_from(ConversationState)).one() == 0
