"""A 360x740 phone in headless Chromium, with a 140-character URL in a complaint, a long
broadcast and a shop name without spaces: no page scrolls sideways, and neither the map nor
any dashboard page breaks the CSP. Screenshots: test-output/screenshots/phone-*.png."""

from sqlmodel import Session, select

from smsbot.broadcasts import runs as broadcasts
from smsbot.catalog.models import Shop
from smsbot.testing import Conversation
from tests.browser import screenshot

from ..conftest import NOW
from .test_web_dash_browser import browser_login

ADMIN, ADMIN_E164 = "081200000001", "+6281200000001"
EMI, EMI_E164 = "081266104512", "+6281266104512"
BUYER = "081300000001"
URL = "https://contoh.example/" + "x" * 117
LONG = "Rendang" * 12


def long_words(engine):
    talk = Conversation(engine)
    talk.send(BUYER, "PESAN RT01 2")
    talk.send(BUYER, "YA")
    talk.send(BUYER, f"KELUHAN rendang RT01 basi {URL}")
    talk.send(BUYER, "CARI " + "z" * 150)
    with Session(engine) as session:
        shop = session.exec(select(Shop).where(Shop.code_key == "RDG1")).one()
        shop.name = LONG
        session.add(shop)
        broadcasts.create(session, "PROMO " + "y" * 200 + " Rp20.000 sampai 31-12-2026", NOW,
                          NOW, status="pending", created_by=EMI_E164)
        session.commit()


def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.csp_errors = []
    tab.on("console", lambda m: "Content Security Policy" in m.text and tab.csp_errors.append(m.text))
    return context, tab


def sideways(tab) -> int:
    return tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


ADMIN_PAGES = ["/dasbor", "/dasbor/keluhan", "/dasbor/admin/pesanan", "/dasbor/admin/siaran",
               "/dasbor/admin/toko", "/dasbor/admin/laporan", "/dasbor/admin/pencarian",
               "/dasbor/admin/sesi", "/dasbor/ulasan"]
PUBLIC_PAGES = ["/", "/cari?q=rendang", "/produk/RT01", "/toko/RDG1", "/peta"]


def test_no_page_scrolls_sideways_on_a_phone_and_the_csp_holds(live_server, browser, seeded):
    long_words(seeded)
    context, tab = phone(browser)
    try:
        for path in PUBLIC_PAGES:
            tab.goto(live_server.url + path)
            assert sideways(tab) <= 0, path
            screenshot(tab, "phone-public" + path.replace("/", "-").split("?")[0])
        assert tab.is_visible(".leaflet-container")  # the map ran under the CSP
        browser_login(tab, live_server.url, seeded, ADMIN, ADMIN_E164)
        for path in ADMIN_PAGES:
            tab.goto(live_server.url + path)
            assert sideways(tab) <= 0, path
            screenshot(tab, "phone" + path.replace("/", "-"))
        tab.goto(live_server.url + "/dasbor/keluhan")
        with tab.expect_navigation(wait_until="load"):  # measured once its styles apply
            tab.click("table a >> nth=0")
        assert sideways(tab) <= 0 and tab.is_visible("button:has-text('Kirim jawaban')")
        screenshot(tab, "phone-dasbor-keluhan-url")
        tab.goto(live_server.url + "/dasbor/admin/siaran")
        assert tab.is_visible("text=Rp20.000 sampai 31-12-2026")  # the whole text
        assert tab.csp_errors == []
    finally:
        context.close()


def test_a_seller_phone_sees_labelled_boxes(live_server, browser, seeded):
    long_words(seeded)
    context, tab = phone(browser)
    try:
        browser_login(tab, live_server.url, seeded, EMI, EMI_E164)
        for path in ("/dasbor", "/dasbor/pesanan", "/dasbor/produk", "/dasbor/keluhan"):
            tab.goto(live_server.url + path)
            assert sideways(tab) <= 0, path
        tab.goto(live_server.url + "/dasbor/produk")
        label = tab.evaluate("getComputedStyle(document.querySelector('td[data-label=Stok]'),"
                             " '::before').content")
        assert "Stok" in label
        screenshot(tab, "phone-seller-produk")
        assert tab.csp_errors == []
    finally:
        context.close()
