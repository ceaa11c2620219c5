"""The public pages in real headless Chromium on a 360 px phone: search, open a product and
its shop, and the map's markers (offline: no tiles). Screenshots go to test-output/."""

import pytest
from playwright.sync_api import expect

from smsbot.web.app import create_app
from smsbot.web.config import WebConfig
from tests.browser import LiveServer, screenshot
from tests.conftest import NOW

PHONE = {"width": 360, "height": 740}
NEAR = {"latitude": -0.2245, "longitude": 100.6530}  # LOKASI's example spot


@pytest.fixture(scope="module")
def site(reader_engine):
    """One live server per module on the shared read-only database; no map tiles."""
    config = WebConfig(tile_url="", bot_number="0812 0000 0000",
                       clock=lambda: NOW)
    with LiveServer(create_app(reader_engine, config)) as server:
        yield server


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, geolocation=NEAR, permissions=["geolocation"])
    tab = context.new_page()
    yield tab
    context.close()


def fits_the_screen(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_search_open_a_product_and_its_shop(site, phone):
    phone.goto(site.url + "/")
    assert fits_the_screen(phone)
    screenshot(phone, "public-home")
    phone.fill("input[name=q]", "randang talua")
    phone.press("input[name=q]", "Enter")
    phone.wait_for_url("**/cari?q=randang+talua")
    results = phone.locator("li.result")
    assert results.count() >= 3
    assert results.first.locator("a.name").inner_text() == "Randang Talua 250g"
    assert fits_the_screen(phone)
    screenshot(phone, "public-search")

    results.first.locator("a.name").click()
    phone.wait_for_url("**/produk/RT03")
    assert phone.locator("h1").inner_text() == "Randang Talua 250g"
    assert "PESAN RT03 1" in phone.locator("section.order").inner_text()
    assert fits_the_screen(phone)
    screenshot(phone, "public-product")

    phone.get_by_role("link", name="Randang Talua Mak Etek").click()
    phone.wait_for_url("**/toko/RDG3")
    assert "Buka sekarang" in phone.locator("p.status").inner_text()
    assert phone.locator("table.products tbody tr").count() >= 1
    assert fits_the_screen(phone)
    screenshot(phone, "public-shop")


def test_map_shows_a_marker_per_located_shop_offline_and_the_nearest_on_request(site, phone):
    import json
    import urllib.request

    with urllib.request.urlopen(site.url + "/peta.json") as response:
        located = [s for s in json.load(response)["shops"] if s["lat"] is not None]
    phone.goto(site.url + "/peta")
    markers = phone.locator(".leaflet-marker-icon")
    markers.first.wait_for()
    expect(markers).to_have_count(len(located))  # no wait_for_function: the CSP forbids eval
    assert "/static/leaflet/images/marker-icon" in markers.first.get_attribute("src")
    assert phone.locator(".leaflet-tile").count() == 0  # tile_url "": a blank background
    assert phone.locator("#map-msg").inner_text() == f"{len(located)} toko di peta"
    assert fits_the_screen(phone)
    screenshot(phone, "public-map")

    markers.first.click()
    popup = phone.locator(".leaflet-popup-content a")
    assert popup.get_attribute("href").startswith("/toko/")

    phone.click("#near-me")
    expect(phone.locator("#map-msg")).to_have_text("5 toko terdekat")
    assert markers.count() == 5
    assert phone.locator("#shop-list li").count() == 5
    assert phone.locator("#list-title").inner_text() == "Toko terdekat (5)"
    screenshot(phone, "public-map-nearest")
