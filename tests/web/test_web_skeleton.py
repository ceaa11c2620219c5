"""The web skeleton: pages render, unknown paths and dashboard access fail politely."""

from tests.browser import screenshot


def test_home_renders_in_indonesian(web):
    response = web.get("/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.text
    assert "BANTUAN" in response.text and "0812 0000 0000" in response.text


def test_unknown_page_is_a_friendly_404(web):
    response = web.get("/tidak-ada")
    assert response.status_code == 404
    assert "Tidak ditemukan" in response.text


def test_static_css_is_served_from_the_package(web):
    response = web.get("/static/style.css")
    assert response.status_code == 200 and "body" in response.text


def test_home_in_headless_chromium(live_server, page):
    page.goto(live_server.url + "/")
    assert page.title().endswith("smsbot")
    assert screenshot(page, "skeleton-home").stat().st_size > 1000
