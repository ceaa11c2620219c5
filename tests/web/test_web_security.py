"""The website under attack: sessions that end, headers, hosts, compression, hostile values."""

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select
from starlette.routing import Route
from starlette.testclient import TestClient

from smsbot.contacts.models import WebSession
from smsbot.web.app import create_app
from smsbot.web.config import WebConfig

from .test_web_dash import ADMIN, ADMIN_E164, EMI, EMI_E164, client, post
from .test_web_login import csrf_of, log_in


def copy_of(web_app, web):
    other = TestClient(web_app, follow_redirects=False)
    other.cookies.set("smsbot", web.cookies.get("smsbot"))
    return other


# -- sessions ---------------------------------------------------------------------------
@pytest.mark.backends
def test_a_cookie_copied_before_logout_opens_nothing_after(web_app, seeded):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    thief = copy_of(web_app, web)
    assert thief.get("/dasbor").status_code == 200
    assert web.post("/keluar", data={"csrf": csrf_of(web, "/dasbor")}).status_code == 303
    assert thief.get("/dasbor").status_code == 303
    with Session(seeded) as session:
        assert session.exec(select(WebSession).where(WebSession.phone == ADMIN_E164)).all() == []


def test_the_cookie_is_an_opaque_id_without_the_phone(web_app, seeded):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    cookie = web.cookies.get("smsbot")
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", cookie)
    assert "81200000001" not in cookie and "phone" not in cookie and "." not in cookie
    with Session(seeded) as session:  # only its hash is stored
        assert cookie not in [row.token_hash for row in session.exec(select(WebSession))]


def test_sessions_end_after_two_idle_hours(web_app, seeded, web_clock):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    web_clock.now += timedelta(hours=1, minutes=59)
    assert web.get("/dasbor").status_code == 200
    web_clock.now += timedelta(hours=1, minutes=59)
    assert web.get("/dasbor").status_code == 200  # active: the idle clock restarted
    web_clock.now += timedelta(hours=2, minutes=1)
    response = web.get("/dasbor")
    assert response.status_code == 303 and response.headers["location"].startswith("/masuk")


def test_sessions_end_after_twelve_hours_however_active(web_app, seeded, web_clock):
    web = client(web_app, seeded, ADMIN, ADMIN_E164)
    for _ in range(11):
        web_clock.now += timedelta(hours=1)
        assert web.get("/dasbor").status_code == 200
    web_clock.now += timedelta(hours=1, minutes=1)
    assert web.get("/dasbor").status_code == 303


def test_the_admin_lists_and_revokes_sessions(web_app, seeded):
    admin = client(web_app, seeded, ADMIN, ADMIN_E164)
    seller = client(web_app, seeded, EMI, EMI_E164)
    listing = admin.get("/dasbor/admin/sesi").text
    assert "0812-6610-4512" in listing or "081266104512" in listing
    assert "(sesi ini)" in listing
    with Session(seeded) as session:
        row = session.exec(select(WebSession).where(WebSession.phone == EMI_E164)).one()
    response = post(admin, f"/dasbor/admin/sesi/{row.id}/cabut", back="/dasbor/admin/sesi")
    assert response.status_code == 303
    assert "Sesi diakhiri" in admin.get("/dasbor/admin/sesi").text
    assert seller.get("/dasbor").status_code == 303
    assert seller.get("/dasbor/admin/sesi").status_code == 303
    assert client(web_app, seeded, EMI, EMI_E164).get("/dasbor/admin/sesi").status_code == 403


def test_public_pages_make_no_session(web):
    for path in ("/", "/cari?q=rendang", "/produk/RT01", "/toko/RDG1", "/peta"):
        response = web.get(path)
        assert response.status_code == 200 and "set-cookie" not in response.headers


def secure_flag(web_app, base_url="http://testserver"):
    with TestClient(web_app, follow_redirects=False, base_url=base_url) as web:
        web.get("/masuk")
        return "secure" in web.get("/masuk", headers={"cookie": ""}).headers["set-cookie"].lower()


@pytest.mark.parametrize("setting, scheme, secure", [
    (None, "http", False), (None, "https", True), (True, "http", True), (False, "https", False)])
def test_the_secure_cookie_flag(seeded, web_clock, setting, scheme, secure):
    app = create_app(seeded, WebConfig(tile_url="", clock=web_clock, https_only=setting))
    assert secure_flag(app, f"{scheme}://testserver") is secure


# -- headers, hosts, compression --------------------------------------------------------
def test_every_response_carries_the_security_headers(web_app, seeded):
    admin = client(web_app, seeded, ADMIN, ADMIN_E164)
    for web, path in ((admin, "/dasbor"), (admin, "/"), (admin, "/tidak-ada"),
                      (TestClient(web_app), "/peta"), (TestClient(web_app), "/static/style.css")):
        headers = web.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_pages_of_a_logged_in_user_are_not_stored(web_app, seeded, web):
    admin = client(web_app, seeded, ADMIN, ADMIN_E164)
    for path in ("/dasbor", "/dasbor/keluhan", "/dasbor/admin/laporan", "/"):
        assert admin.get(path).headers["cache-control"] == "no-store", path
    assert web.get("/masuk").headers["cache-control"] == "no-store"
    assert "no-store" not in web.get("/peta").headers.get("cache-control", "")


def test_the_csp_allows_the_configured_tile_server(seeded, web_clock):
    app = create_app(seeded, WebConfig(tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png",
                                       clock=web_clock))
    policy = TestClient(app).get("/peta").headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tile.example.org" in policy


def test_only_the_configured_host_names_are_served(seeded, web_clock):
    app = create_app(seeded, WebConfig(tile_url="", clock=web_clock,
                                       host_names=["umkm.example.id"]))
    web = TestClient(app, base_url="http://umkm.example.id")
    assert web.get("/").status_code == 200
    assert web.get("/", headers={"host": "evil.example"}).status_code == 400


def test_public_pages_are_gzipped_but_not_pages_with_a_session(web_app, seeded, web):
    response = web.get("/peta", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip" and "Peta toko" in response.text
    admin = client(web_app, seeded, ADMIN, ADMIN_E164)
    response = admin.get("/peta", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in response.headers  # a CSRF token next to the query


# -- hostile values ---------------------------------------------------------------------
HOSTILE = ["9" * 30, "18446744073709551616", "-1", "0", "0001-01-01T00:00", "9999-12-31T23:59",
           "", " ", "\x00", "ü\u202e\U0001f600", "%00", "../../etc/passwd", "<script>",
           "1e309", "nan", "ǅ" * 300, "rendang\x00keju", "\ufeff\u200b", "K\x00AB"]
FIELDS = ["csrf", "back", "next", "phone", "code", "text", "alasan", "stok", "harga", "at",
          "date", "time", "repeat", "weekday", "audience", "place", "word", "shop", "to",
          "every", "q", "lat", "lon", "status", "uu", "hari", "asal", "semua"]


def route_paths(app):
    for route in app.routes:
        if isinstance(route, Route):
            yield route.path, sorted(route.methods or {"GET"})


def filled(path: str, value: str) -> str:
    from urllib.parse import quote
    return re.sub(r"\{[^}]+\}", quote(value, safe="") or "x", path)


@pytest.mark.slow
@pytest.mark.backends
@pytest.mark.parametrize("who", ["anonymous", "admin", "seller"])  # three parts for xdist
def test_every_route_with_hostile_values_answers_without_a_500(web_app, seeded, who):
    sessions = {}
    for name, phone, e164 in (("admin", ADMIN, ADMIN_E164), ("seller", EMI, EMI_E164)):
        web = TestClient(web_app, follow_redirects=False, raise_server_exceptions=False)
        log_in(web, seeded, phone, e164)
        sessions[name] = web
    web = sessions.get(who) or TestClient(web_app, follow_redirects=False,
                                          raise_server_exceptions=False)
    with web:  # one event loop for the ~700 requests, not one each
        failures = []
        token = csrf_of(web, "/masuk") if who == "anonymous" else csrf_of(web, "/")
        for path, methods in route_paths(web_app):
            if path in ("/keluar",) or path.endswith("/cabut"):
                continue  # they would end the sweep's own session
            for value in HOSTILE:
                url = filled(path, value)
                for method in methods:
                    if method == "HEAD":
                        continue
                    params = {field: value for field in FIELDS}
                    if method == "GET":
                        response = web.get(url, params=params)
                    else:
                        response = web.post(url, data={**params, "csrf": token})
                    if response.status_code >= 500:
                        failures.append((who, method, url, repr(value), response.status_code))
    assert not failures, "\n".join(map(str, failures))
    assert sessions["admin"].get("/dasbor").status_code == 200


# -- the command line --------------------------------------------------------------------
def started_with(monkeypatch, seeded, *args):
    import uvicorn
    from click.testing import CliRunner

    from smsbot.cli import main

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    result = CliRunner().invoke(main, ["--db", str(seeded.url), "web", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return seen["app"].state.config


def test_web_options_set_host_names_and_secure_cookies(monkeypatch, seeded):
    config = started_with(monkeypatch, seeded, "--host-name", "umkm.example.id",
                          "--secure-cookies")
    assert config.host_names == ["umkm.example.id"] and config.https_only is True
    config = started_with(monkeypatch, seeded, "--behind-proxy", "127.0.0.1")
    assert config.https_only is None  # Secure exactly when the proxy says HTTPS
    assert config.host_names == ["127.0.0.1", "localhost"]
    assert started_with(monkeypatch, seeded, "--no-secure-cookies").https_only is False
