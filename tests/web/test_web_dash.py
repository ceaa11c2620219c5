"""The dashboard over HTTP: who may see what, and every change going through the SMS core."""

import re

import pytest
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from smsbot.broadcasts import runs as broadcasts
from smsbot.broadcasts.models import Broadcast
from smsbot.catalog.models import Product, Shop
from smsbot.crm.models import Complaint, ComplaintMessage
from smsbot.messages.models import OutboxMessage
from smsbot.orders.models import Order, SubOrder
from smsbot.testing import Conversation

from ..conftest import NOW
from .test_web_login import csrf_of, log_in

ADMIN, ADMIN_E164 = "081200000001", "+6281200000001"
EMI, EMI_E164 = "081266104512", "+6281266104512"  # RDG1 Rendang Uni Emi, sells RT01
IDA, IDA_E164 = "081374552190", "+6281374552190"  # RDG2 Rendang Amak Ida, sells RT02
BUYER, BUYER_E164 = "081300000001", "+6281300000001"

ADMIN_PAGES = ["/dasbor/admin/pesanan", "/dasbor/admin/siaran", "/dasbor/admin/toko",
               "/dasbor/admin/laporan", "/dasbor/admin/laporan.html",
               "/dasbor/admin/laporan.csv", "/dasbor/admin/pencarian"]
ADMIN_POSTS = ["/dasbor/admin/siaran", "/dasbor/admin/siaran/1/batal",
               "/dasbor/admin/siaran/1/setujui"]
PAGES = ["/dasbor", "/dasbor/keluhan", "/dasbor/keluhan/K7QX", "/dasbor/pesanan",
         "/dasbor/produk", "/dasbor/ulasan", *ADMIN_PAGES]
POSTS = ["/dasbor/pesanan/1/terima", "/dasbor/pesanan/1/tolak", "/dasbor/pesanan/1/kirim",
         "/dasbor/pesanan/1/selesai", "/dasbor/produk/1/stok", "/dasbor/produk/1/harga",
         "/dasbor/keluhan/K7QX/balas", "/dasbor/keluhan/K7QX/selesai", *ADMIN_POSTS]


@pytest.fixture
def shop_data(seeded):
    """One confirmed order and one complaint for each of RDG1 (Uni Emi) and RDG2 (Amak Ida)."""
    talk = Conversation(seeded)
    for product in ("RT01", "RT02"):
        talk.send(BUYER, f"PESAN {product} 2")
        talk.send(BUYER, "YA")
        talk.send(BUYER, f"KELUHAN rendang {product} basi, rasanya asam")
    with Session(seeded) as session:
        found = {}
        for code, shop_code, product_code in (("RDG1", "emi", "RT01"), ("RDG2", "ida", "RT02")):
            shop = session.exec(select(Shop).where(Shop.code_key == code)).one()
            sub = session.exec(select(SubOrder).where(SubOrder.shop_id == shop.id)).one()
            ticket = session.exec(select(Complaint).where(Complaint.shop_id == shop.id)).one()
            product = session.exec(select(Product).where(Product.code_key == product_code)).one()
            found[shop_code] = {"sub": sub.id, "order": session.get(Order, sub.order_id).code,
                                "ticket": ticket.code, "product": product.id,
                                "product_code": product.code}
    return found


def client(web_app, engine, phone, e164):
    web = TestClient(web_app, follow_redirects=False)
    log_in(web, engine, phone, e164)
    return web


def queued_to(engine, e164):
    with Session(engine) as session:
        return [m.text for m in session.exec(select(OutboxMessage).where(
            OutboxMessage.to == e164, OutboxMessage.status == "queued")
            .order_by(col(OutboxMessage.id))).all()]


def post(web, path, back="/dasbor", **data):
    """POST a dashboard form like the browser would (its CSRF token, read from a page that
    does not consume the flash messages) and come back to `back`."""
    return web.post(path, data={"csrf": csrf_of(web, "/"), "back": back, **data})


# -- who may see what ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_every_dashboard_page_needs_a_login(web, path):
    response = web.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/masuk?next={path}"


@pytest.mark.parametrize("path", POSTS)
def test_every_dashboard_action_needs_a_login(web, path):
    response = web.post(path, data={"csrf": csrf_of(web, "/masuk")})
    assert response.status_code == 303 and response.headers["location"].startswith("/masuk")


def test_a_seller_cannot_reach_admin_pages(web, seeded):
    log_in(web, seeded, EMI, EMI_E164)
    for path in ADMIN_PAGES:
        assert web.get(path).status_code == 403, path
    for path in ADMIN_POSTS:
        assert post(web, path, text="x").status_code == 403, path
    with Session(seeded) as session:
        assert session.exec(select(Broadcast)).all() == []


def test_a_seller_sees_only_their_own_shop(web_app, seeded, shop_data):
    emi, ida = shop_data["emi"], shop_data["ida"]
    web = client(web_app, seeded, EMI, EMI_E164)
    home = web.get("/dasbor").text
    assert emi["order"] in home and ida["order"] not in home
    assert ida["order"] not in web.get("/dasbor/pesanan").text
    listing = web.get("/dasbor/keluhan").text
    assert emi["ticket"] in listing and ida["ticket"] not in listing
    assert web.get(f"/dasbor/keluhan/{emi['ticket']}").status_code == 200
    assert web.get(f"/dasbor/keluhan/{ida['ticket']}").status_code == 404
    products = web.get("/dasbor/produk").text
    assert "RT01" in products and "RT02" not in products


def test_a_seller_cannot_act_on_another_shops_objects(web_app, seeded, shop_data):
    ida = shop_data["ida"]
    web = client(web_app, seeded, EMI, EMI_E164)
    before = queued_to(seeded, BUYER_E164)
    for action in ("terima", "tolak", "kirim", "selesai"):
        assert post(web, f"/dasbor/pesanan/{ida['sub']}/{action}").status_code == 404
    assert post(web, f"/dasbor/produk/{ida['product']}/stok", stok="1").status_code == 404
    assert post(web, f"/dasbor/produk/{ida['product']}/harga", harga="1000").status_code == 404
    assert post(web, f"/dasbor/keluhan/{ida['ticket']}/balas", text="hai").status_code == 404
    assert post(web, f"/dasbor/keluhan/{ida['ticket']}/selesai").status_code == 404
    assert post(web, "/dasbor/pesanan/99999/terima").status_code == 404
    with Session(seeded) as session:
        assert session.get(SubOrder, ida["sub"]).status == "pending"
        assert session.get(Product, ida["product"]).stock == 120
        assert complaint(session, ida["ticket"]).status == "open"
    assert queued_to(seeded, BUYER_E164) == before


def test_posts_without_the_csrf_token_are_refused(web_app, seeded, shop_data):
    emi = shop_data["emi"]
    web = client(web_app, seeded, EMI, EMI_E164)
    for path in (f"/dasbor/pesanan/{emi['sub']}/terima", f"/dasbor/produk/{emi['product']}/stok",
                 f"/dasbor/keluhan/{emi['ticket']}/balas"):
        assert web.post(path, data={"stok": "1", "text": "x"}).status_code == 403
        assert web.post(path, data={"csrf": "forged", "stok": "1", "text": "x"}).status_code == 403
    admin = client(web_app, seeded, ADMIN, ADMIN_E164)
    assert admin.post("/dasbor/admin/siaran", data={"text": "Promo"}).status_code == 403
    with Session(seeded) as session:
        assert session.get(SubOrder, emi["sub"]).status == "pending"
        assert session.exec(select(Broadcast)).all() == []


def test_a_seller_whose_shop_is_closed_loses_access_at_once(web, seeded):
    log_in(web, seeded, EMI, EMI_E164)
    with Session(seeded) as session:
        shop = session.exec(select(Shop).where(Shop.code_key == "RDG1")).one()
        shop.active = False
        session.add(shop)
        session.commit()
    assert web.get("/dasbor").status_code == 303


def test_an_admin_made_buyer_loses_access_at_once(web, seeded):
    from smsbot.contacts.models import Contact

    log_in(web, seeded, ADMIN, ADMIN_E164)
    assert web.get("/dasbor/admin/toko").status_code == 200
    with Session(seeded) as session:
        contact = session.exec(select(Contact).where(Contact.phone == ADMIN_E164)).one()
        contact.role = "buyer"
        session.add(contact)
        session.commit()
    for path in ("/dasbor", "/dasbor/admin/toko", "/dasbor/keluhan"):
        assert web.get(path).status_code == 303


# -- the seller's buttons go through the SMS core ---------------------------------------------------
@pytest.mark.backends
def test_seller_accepts_ships_and_finishes_by_button(web_app, seeded, shop_data):
    emi = shop_data["emi"]
    web = client(web_app, seeded, EMI, EMI_E164)
    response = post(web, f"/dasbor/pesanan/{emi['sub']}/terima")
    assert response.status_code == 303 and response.headers["location"] == "/dasbor"
    page = web.get("/dasbor").text
    assert f"Pesanan {emi['order']} diterima, stok dikurangi." in page  # the SMS reply, as a flash
    assert any(text.startswith(f"Rendang Uni Emi menerima pesanan {emi['order']}")
               for text in queued_to(seeded, BUYER_E164))
    assert "Sudah dikirim" in page
    with Session(seeded) as session:
        assert session.get(SubOrder, emi["sub"]).status == "accepted"
        assert session.exec(select(Product).where(Product.code_key == "RT01")).one().stock == 78
    post(web, f"/dasbor/pesanan/{emi['sub']}/kirim", back="/dasbor/pesanan")
    post(web, f"/dasbor/pesanan/{emi['sub']}/selesai")
    with Session(seeded) as session:
        assert session.get(SubOrder, emi["sub"]).status == "done"
    # the same rules as SMS: a second TERIMA is refused with the SMS's words
    post(web, f"/dasbor/pesanan/{emi['sub']}/terima")
    assert "TERIMA hanya utk pesanan yg menunggu" in web.get("/dasbor").text


def test_seller_refuses_with_a_reason(web_app, seeded, shop_data):
    ida = shop_data["ida"]
    web = client(web_app, seeded, IDA, IDA_E164)
    post(web, f"/dasbor/pesanan/{ida['sub']}/tolak", alasan="stok habis  hari ini")
    assert f"Pesanan {ida['order']} ditolak" in web.get("/dasbor").text
    assert any("menolak pesanan" in t and "stok habis hari ini" in t
               for t in queued_to(seeded, BUYER_E164))


def test_seller_sets_stock_and_price(web_app, seeded, shop_data):
    emi = shop_data["emi"]
    web = client(web_app, seeded, EMI, EMI_E164)
    post(web, f"/dasbor/produk/{emi['product']}/stok", "/dasbor/produk", stok="7")
    post(web, f"/dasbor/produk/{emi['product']}/harga", "/dasbor/produk", harga="27.500")
    page = web.get("/dasbor/produk").text
    assert f"Stok {emi['product_code']} Rendang Telur 250g sekarang 7 (sebelumnya 80)." in page
    assert "sekarang 27,5rb" in page or "27.500" in page
    with Session(seeded) as session:
        product = session.get(Product, emi["product"])
        assert (product.stock, product.price_idr) == (7, 27500)
    post(web, f"/dasbor/produk/{emi['product']}/stok", "/dasbor/produk", stok="banyak")
    assert "Stok harus angka" in web.get("/dasbor/produk").text
    with Session(seeded) as session:
        assert session.get(Product, emi["product"]).stock == 7


# -- complaints ---------------------------------------------------------------------------------
def complaint(session, code):
    return session.exec(select(Complaint).where(Complaint.code == code)).one()


@pytest.mark.backends
def test_admin_answers_a_complaint_like_balas(web_app, seeded, shop_data):
    emi = shop_data["emi"]
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    listing = web.get("/dasbor/keluhan").text
    assert emi["ticket"] in listing and shop_data["ida"]["ticket"] in listing
    page = web.get(f"/dasbor/keluhan/{emi['ticket']}").text
    assert "rendang RT01 basi, rasanya asam" in page and "Rendang Uni Emi" in page
    back = f"/dasbor/keluhan/{emi['ticket']}"
    response = post(web, f"{back}/balas", back, text="Maaf bu, kami ganti besok")
    assert response.status_code == 303 and response.headers["location"] == back
    page = web.get(back).text
    assert f"Balasan utk keluhan {emi['ticket']} terkirim." in page
    assert "Maaf bu, kami ganti besok" in page
    assert (f"{emi['ticket']} dari Admin UMKM: Maaf bu, kami ganti besok Jawab: BALAS "
            f"{emi['ticket']} <pesan>") in queued_to(seeded, BUYER_E164)
    assert any("Maaf bu, kami ganti besok" in t for t in queued_to(seeded, EMI_E164))
    post(web, f"{back}/selesai", back)
    with Session(seeded) as session:
        assert complaint(session, emi["ticket"]).status == "closed"
    assert f"Keluhan {emi['ticket']} ditutup" in web.get(back).text
    assert emi["ticket"] not in web.get("/dasbor/keluhan").text
    assert emi["ticket"] in web.get("/dasbor/keluhan?semua=1").text


def test_seller_answers_their_complaint(web_app, seeded, shop_data):
    emi = shop_data["emi"]
    web = client(web_app, seeded, EMI, EMI_E164)
    back = f"/dasbor/keluhan/{emi['ticket']}"
    post(web, f"{back}/balas", back, text="Besok kami ganti, bu")
    assert (f"{emi['ticket']} dari Rendang Uni Emi: Besok kami ganti, bu Jawab: BALAS "
            f"{emi['ticket']} <pesan>") in queued_to(seeded, BUYER_E164)
    with Session(seeded) as session:
        roles = [m.role for m in session.exec(select(ComplaintMessage).where(
            ComplaintMessage.complaint_id == complaint(session, emi["ticket"]).id))]
    assert roles == ["buyer", "shop"]


def test_reviews_are_shown_to_their_shop_only(web_app, seeded, shop_data):
    talk = Conversation(seeded)
    emi = shop_data["emi"]
    for text in (f"TERIMA {emi['order']}", f"KIRIM {emi['order']}"):
        talk.send(EMI, text)
    talk.send(BUYER, f"SELESAI {emi['order']}")
    talk.send(BUYER, f"NILAI {emi['order']} 5 enak sekali")
    web = client(web_app, seeded, EMI, EMI_E164)
    assert "enak sekali" in web.get("/dasbor/ulasan").text
    other = client(web_app, seeded, IDA, IDA_E164)
    assert "enak sekali" not in other.get("/dasbor/ulasan").text
    admin = client(web_app, seeded, ADMIN, ADMIN_E164)
    assert "enak sekali" in admin.get("/dasbor/ulasan").text
    assert re.search(r"<td>5\.0 \(1\)</td>", admin.get("/dasbor/admin/toko").text)


# -- the admin's pages --------------------------------------------------------------------------
def test_admin_overview_and_orders_filtered_by_status(web_app, seeded, shop_data):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    home = web.get("/dasbor").text
    assert "<strong>2</strong> keluhan terbuka" in home
    assert "<strong>2</strong> pesanan menunggu penjual" in home
    pending = web.get("/dasbor/admin/pesanan?status=pending").text
    assert shop_data["emi"]["order"] in pending and shop_data["ida"]["order"] in pending
    assert "RDG1: menunggu penjual" in pending
    done = web.get("/dasbor/admin/pesanan?status=done").text
    assert shop_data["emi"]["order"] not in done and "Tidak ada pesanan." in done


@pytest.mark.backends
def test_admin_creates_watches_and_cancels_a_broadcast(web_app, seeded):
    Conversation(seeded).send(BUYER, "DAFTAR")
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    back = "/dasbor/admin/siaran"
    post(web, back, back, text="Bazar UMKM Sabtu di GOR Kubu Gadang", audience="all")
    page = web.get(back).text
    assert "Siaran #1 dijadwalkan utk 1 kontak." in page and "Bazar UMKM Sabtu" in page
    with Session(seeded) as session:
        item = session.get(Broadcast, 1)
        assert (item.created_by, item.target, item.status) == (ADMIN_E164, "all", "scheduled")
        broadcasts.expand_due(session, NOW)
        session.commit()
    assert "0/1" in web.get(back).text  # one queued, none sent yet
    post(web, f"{back}/1/batal", back)
    assert "Siaran #1 dibatalkan; 1 SMS antrean tidak dikirim." in web.get(back).text
    with Session(seeded) as session:
        assert session.get(Broadcast, 1).status == "cancelled"
        assert broadcasts.progress(session, 1) == {"cancelled": 1}


@pytest.mark.parametrize("fields, problem", [
    ({"date": "0001-01-01", "time": "00:00"}, "antara sekarang dan satu tahun lagi"),
    ({"date": "9999-12-31"}, "antara sekarang dan satu tahun lagi"),
    ({"date": "besok pagi"}, "Tanggal tidak dikenal"),
    ({"time": "25:00"}, "Jam tidak dikenal"),
    ({"repeat": "0 9 * * 1"}, "Pilih ulangan"),
    ({"audience": "kelurahan", "kelurahan": "Atlantis"}, "Pilih kelurahan"),
    ({"audience": "follows", "word": ""}, "Tulis satu kata"),
    ({"text": "   "}, "Isi siaran masih kosong"),
])
def test_a_bad_broadcast_is_explained_in_indonesian_and_not_made(web_app, seeded, fields, problem):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    back = "/dasbor/admin/siaran"
    response = post(web, back, back, **{"text": "Promo rendang", **fields})
    assert response.status_code == 303
    page = web.get(back).text
    assert "Siaran tidak dibuat" in page and problem in page
    assert "Promo rendang" in page or fields.get("text")  # what was typed is kept
    with Session(seeded) as session:
        assert session.exec(select(Broadcast)).all() == []


def test_the_broadcast_form_has_plain_choices_not_cron(web_app, seeded):
    page = client(web_app, seeded, ADMIN, ADMIN_E164).get("/dasbor/admin/siaran").text
    assert "cron" not in page and "follows:" not in page
    assert "Setiap minggu" in page and "Senin" in page and "Payakumbuh Utara" in page


def test_a_weekly_broadcast_keeps_its_local_time(web_app, seeded):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    post(web, "/dasbor/admin/siaran", "/dasbor/admin/siaran", text="Pasar Senin",
         date="2026-12-07", time="08:00", repeat="weekly", weekday="mon",
         audience="kecamatan", kecamatan="Payakumbuh Utara")
    with Session(seeded) as session:
        item = session.get(Broadcast, 1)
    assert item.first_at.hour == 1 and item.every == "0 8 * * mon"  # 08:00 WIB = 01:00 UTC
    assert item.target == "kecamatan:Payakumbuh Utara"
    page = web.get("/dasbor/admin/siaran").text
    assert "07-12-2026 08:00" in page and "setiap Senin 08:00" in page


def test_a_daily_broadcast_to_followers_of_a_word(web_app, seeded):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    post(web, "/dasbor/admin/siaran", "/dasbor/admin/siaran", text="Rendang baru",
         time="09:00", repeat="daily", audience="follows", word="Rendang")
    with Session(seeded) as session:
        item = session.get(Broadcast, 1)
    assert (item.every, item.target) == ("0 9 * * *", "follows:rendang")
    assert "setiap hari 09:00" in web.get("/dasbor/admin/siaran").text


def test_the_broadcast_list_shows_the_whole_text(web_app, seeded):
    text = ("PROMO Rendang Uni Emi: diskon 20% utk semua rendang, harga jadi Rp20.000 per "
            "bungkus, sampai 31-12-2026. Balas PESAN RT01 1")
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    post(web, "/dasbor/admin/siaran", "/dasbor/admin/siaran", text=text)
    assert text in web.get("/dasbor/admin/siaran").text


def test_admin_shops_show_the_size_class_under_either_law(web_app, seeded):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    row = lambda html, code: re.search(rf'<tr id="shop-{code}">(.*?)</tr>', html, re.S).group(1)
    pp7 = web.get("/dasbor/admin/toko").text
    assert "<td>mikro</td>" in row(pp7, "RDG1") and "<td>menengah</td>" in row(pp7, "RDG6")
    uu20 = web.get("/dasbor/admin/toko?uu=uu20-2008").text
    assert "<td>kecil</td>" in row(uu20, "RDG1")


def test_admin_report_shows_smsbot_reports_charts_in_indonesian(web_app, seeded, shop_data):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    page = web.get("/dasbor/admin/laporan").text
    assert "<iframe" not in page and page.count("<svg") == 3  # no ratings yet
    assert "Keluhan per jenis" in page and "Pendapatan per kecamatan" in page
    for english in ("orders, complaints and ratings", "Revenue per kecamatan", "Complaints by",
                    "Per shop", "Generated", ">quality<"):
        assert english not in page
    html = web.get("/dasbor/admin/laporan.html")
    assert html.text.count("<svg") == 3 and "Keluhan per jenis" in html.text
    assert "frame-ancestors 'none'" in html.headers["content-security-policy"]
    csv = web.get("/dasbor/admin/laporan.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.startswith("level,code,name,kecamatan,orders")


def test_an_english_speaking_admin_reads_the_report_in_english(web_app, seeded, shop_data):
    from smsbot.contacts.models import Contact
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    with Session(seeded) as session:
        admin = session.exec(select(Contact).where(Contact.phone == ADMIN_E164)).one()
        admin.language = "en"
        session.add(admin)
        session.commit()
    page = web.get("/dasbor/admin/laporan").text
    assert "Complaints by category" in page and "Keluhan per jenis" not in page


def test_admin_sees_searches_nobody_could_answer(web_app, seeded):
    Conversation(seeded).send(BUYER, "CARI pizza keju")
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    page = web.get("/dasbor/admin/pencarian").text
    assert "pizza keju" in page


def test_the_broadcast_list_shows_the_delivered_share_from_status_reports(web_app, seeded):
    """With `run --delivery-reports`, each row's report lands on its outbox row; the admin
    sees the share delivered of the SMS that got a report."""
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    post(web, "/dasbor/admin/siaran", "/dasbor/admin/siaran", text="Promo galamai 10%")
    assert "diterima" not in web.get("/dasbor/admin/siaran").text  # no report yet
    with Session(seeded) as session:
        item = session.exec(select(Broadcast)).one()
        for n, delivery in enumerate(["delivered", "failed", None, "delivered"]):
            session.add(OutboxMessage(to=f"+62813000009{n}", text="Promo galamai 10%",
                                      kind="broadcast", status="sent", created_at=NOW,
                                      broadcast_id=item.id, delivery=delivery))
        session.commit()
    assert "diterima 66%" in web.get("/dasbor/admin/siaran").text
