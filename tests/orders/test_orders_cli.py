"""`smsbot orders list|show`: the admin's view."""

import re

import pytest
from click.testing import CliRunner

from smsbot.cli import main
from smsbot.orders import rules as orders

BUYER = "081300000001"


@pytest.fixture
def with_orders(conversation, seeded, monkeypatch):
    queue = ["AB3CD4", "EF5GH6", "JK7MN8"]
    monkeypatch.setattr(orders, "new_code", lambda: queue.pop(0))
    conversation.send(BUYER, "PESAN RT01 2 GL01 1")
    conversation.send(BUYER, "ANTAR Jl. Sudirman 5")
    conversation.send(BUYER, "YA")
    conversation.send("081266104512", "TERIMA AB3CD4")
    conversation.send(BUYER, "PESAN RT02 1")  # EF5GH6 stays a draft
    conversation.send(BUYER, "PESAN GL02 1")
    conversation.send(BUYER, "YA")  # JK7MN8
    conversation.send("081277093318", "TOLAK JK7MN8 habis")
    return str(seeded.url)


def run(url, *args):
    return CliRunner().invoke(main, ["--db", url, "orders", *args], catch_exceptions=False)


def test_list_filters_by_status_and_shop(with_orders):
    result = run(with_orders, "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["JK7MN8", "cancelled"], ["EF5GH6", "draft"], ["AB3CD4", "confirmed"]]
    assert "RDG1:accepted GLM1:pending" in lines[2] and "081300000001" in lines[2]
    assert "100rb" in lines[2]
    codes = lambda *a: [line.split()[0] for line in run(with_orders, "list", *a).stdout.splitlines()]
    assert codes("--status", "confirmed") == ["AB3CD4"]
    assert codes("--status", "accepted") == ["AB3CD4"]
    assert codes("--status", "refused", "--status", "draft") == ["JK7MN8", "EF5GH6"]
    assert codes("--shop", "glm1") == ["JK7MN8", "AB3CD4"]
    assert codes("--shop", "GLM1", "--status", "pending") == ["AB3CD4"]
    assert codes("--shop", "RDG1", "--status", "pending") == []
    bad = run(with_orders, "list", "--shop", "NOPE")
    assert bad.exit_code == 1 and "no shop" in bad.output


def test_show_one_order(with_orders):
    result = run(with_orders, "show", "ab3cd4")
    assert result.exit_code == 0
    assert result.output.splitlines()[:3] == [
        "order AB3CD4: confirmed, total 100000 IDR",
        "buyer 081300000001, antar to Jl. Sudirman 5",
        "created 2026-11-27 10:00, confirmed 2026-11-27 10:00 (WIB)",
    ]
    assert "- RDG1 Rendang Uni Emi 081266104512: accepted, 50000 IDR" in result.output
    assert "    RT01 Rendang Telur 250g x2 @ 25000 = 50000" in result.output
    assert "- GLM1 Galamai Ibu Ros 081277093318: pending, 50000 IDR" in result.output
    assert "(habis)" in run(with_orders, "show", "JK7MN8").output
    missing = run(with_orders, "show", "ZZZZZZ")
    assert missing.exit_code == 1 and "no order 'ZZZZZZ'" in missing.output


def test_cli_and_dashboards_filter_by_the_same_statuses(seeded, web_app):
    """One list of statuses (on the models): `cancelled` finds a cancelled order and a
    cancelled shop's part of a live one, in the CLI as on the admin's and the seller's page."""
    from starlette.testclient import TestClient

    from smsbot.orders.models import Order, SubOrder

    from ..crm_data import make_order
    from ..web.test_web_login import log_in

    make_order(seeded, "ABC234", BUYER, {"GLM1": "cancelled", "RDG1": "accepted"})
    make_order(seeded, "DEF567", BUYER, {"GLM1": "cancelled"}, order_status="cancelled")
    url = str(seeded.url)
    listed = [line.split()[0] for line in run(url, "list", "--status", "cancelled").stdout.splitlines()]
    assert listed == ["DEF567", "ABC234"]
    for status in Order.STATUSES + SubOrder.STATUSES:
        assert run(url, "list", "--status", status).exit_code == 0, status

    def page(phone, e164, path):
        web = TestClient(web_app, follow_redirects=False)
        log_in(web, seeded, phone, e164)
        return web.get(path).text

    admin = page("081200000001", "+6281200000001", "/dasbor/admin/pesanan?status=cancelled")
    seller = page("081277093318", "+6281277093318", "/dasbor/pesanan?status=cancelled")
    for html in (admin, seller):
        assert "ABC234" in html and "DEF567" in html
    options = lambda html: re.findall(r'<option value="(\w+)"', html)
    assert options(admin) == list(orders.STATUS_FILTERS)
    assert set(options(seller)) == set(SubOrder.STATUSES) <= set(orders.STATUS_FILTERS)
