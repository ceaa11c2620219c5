"""`smsbot orders list|show`: the admin's view."""

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
