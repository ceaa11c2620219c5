"""The admin's CLI on a known dataset: complaints, shops and the report."""

import csv
import io

import pytest
from click.testing import CliRunner

from smsbot.cli import main

from ..crm_data import fixed_tickets, make_order

BUYER, SHOP, ADMIN = "081300000001", "081266104512", "081200000001"


@pytest.fixture
def known(conversation, seeded, monkeypatch):
    """3 live sub-orders (RDG1 done 50rb and 30rb, GLM1 accepted 40rb) plus a cancelled order
    and a refused sub-order that must not count; 4 complaints answered after 2 h (shop),
    5 h (admin), never, and 1 h (admin, no shop); RDG1 rated 5 and 4."""
    fixed_tickets(monkeypatch, "K7QX", "K8RT", "K9MN", "KAAA")
    make_order(seeded, "ABC234", BUYER, ["RDG1"], total=50_000)
    make_order(seeded, "DEF567", BUYER, {"RDG1": "done", "GLM1": "accepted"}, total=30_000,
               totals={"GLM1": 40_000})
    make_order(seeded, "GHJ789", BUYER, ["RDG2"], order_status="cancelled")
    make_order(seeded, "KMN234", BUYER, {"RDG2": "refused"})
    c = conversation
    c.at("2026-12-01T08:00")
    c.send(BUYER, "KELUHAN RT01 basi")  # K7QX RDG1 quality
    c.send(BUYER, "KELUHAN RT09 terlambat diantar")  # K8RT RDG1 shipment
    c.send(BUYER, "KELUHAN galamai ibu ros keras")  # K9MN GLM1 quality
    c.send(BUYER, "KELUHAN pesanan kurang")  # KAAA no shop, sales
    c.advance(hours=1)
    c.send(ADMIN, "BALAS KAAA dari toko mana?")
    c.advance(hours=1)
    c.send(SHOP, "BALAS K7QX maaf, kami ganti")
    c.advance(hours=3)
    c.send(ADMIN, "BALAS K8RT kurir sudah kami tegur")
    c.send(BUYER, "SELESAI K7QX")
    c.send(BUYER, "NILAI ABC234 5 enak")
    c.send(BUYER, "NILAI DEF567 4")
    return seeded


def run(engine, *args):
    result = CliRunner().invoke(main, ["--db", str(engine.url), *args], catch_exceptions=False)
    return result


def test_report_csv_on_a_known_dataset(known):
    result = run(known, "report", "--csv")
    assert result.exit_code == 0, result.output
    rows = {(r["level"], r["code"] or r["name"]): r for r in csv.DictReader(io.StringIO(result.output))}
    rdg1 = rows[("shop", "RDG1")]
    assert (rdg1["orders"], rdg1["revenue_idr"], rdg1["complaints"]) == ("2", "80000", "2")
    assert (rdg1["quality"], rdg1["shipment"], rdg1["sales"]) == ("1", "1", "0")
    assert (rdg1["median_first_answer_h"], rdg1["rating"], rdg1["ratings"]) == ("3.5", "4.5", "2")
    glm1 = rows[("shop", "GLM1")]
    assert (glm1["orders"], glm1["revenue_idr"], glm1["complaints"], glm1["quality"]) == (
        "1", "0", "1", "1")
    assert (glm1["median_first_answer_h"], glm1["rating"], glm1["ratings"]) == ("", "", "0")
    rdg2 = rows[("shop", "RDG2")]
    assert (rdg2["orders"], rdg2["revenue_idr"]) == ("0", "0")
    lamposi = rows[("kecamatan", "Lamposi Tigo Nagori")]
    assert (lamposi["orders"], lamposi["revenue_idr"], lamposi["complaints"]) == ("2", "80000", "2")
    barat = rows[("kecamatan", "Payakumbuh Barat")]
    assert (barat["orders"], barat["complaints"], barat["quality"]) == ("1", "1", "1")
    total = rows[("total", "total")]
    assert (total["orders"], total["revenue_idr"], total["complaints"]) == ("3", "80000", "4")
    assert (total["quality"], total["shipment"], total["sales"], total["service"]) == (
        "2", "1", "1", "0")
    assert (total["median_first_answer_h"], total["rating"]) == ("2.0", "4.5")
    assert sum(1 for level, _ in rows if level == "kecamatan") == 5
    assert sum(1 for level, _ in rows if level == "shop") == 28


def test_report_tables_and_html(known, tmp_path):
    text = run(known, "report").output
    assert "Per shop" in text and "Per kecamatan" in text
    line = next(l for l in text.splitlines() if l.startswith("RDG1"))
    assert "80rb" in line and "3.5" in line and "4.5" in line
    assert next(l for l in text.splitlines() if l.startswith("TOTAL")).split()[1:4] == [
        "3", "80rb", "4"]
    page = tmp_path / "out" / "report.html"
    result = run(known, "report", "--html", str(page))
    assert result.exit_code == 0 and page.is_file()
    html = page.read_text()
    assert html.count("<svg") == 4 and "Lamposi Tigo Nagori" in html and "80.000" in html
    assert "<script" not in html and "src=" not in html and "href=" not in html
    assert "Rendang Uni Emi" in html and "4.5" in html


def test_complaints_list_show_and_set_category(known):
    listed = run(known, "complaints", "list").output.splitlines()
    assert [l.split()[0] for l in listed] == ["KAAA", "K9MN", "K8RT", "K7QX"]
    assert [l.split()[0] for l in run(known, "complaints", "list", "--open").output.splitlines()
            ] == ["KAAA", "K9MN", "K8RT"]
    by_shop = run(known, "complaints", "list", "--shop", "rdg1").output.splitlines()
    assert [l.split()[0] for l in by_shop] == ["K8RT", "K7QX"]
    assert "unanswered" in listed[1] and "K9MN" in listed[1]
    shown = run(known, "complaints", "show", "k7qx").output
    assert "closed    2026-12-01 13:00 by buyer" in shown
    assert "shop      RDG1 Rendang Uni Emi 081266104512" in shown
    assert "buyer 081300000001: RT01 basi" in shown and "shop  081266104512: maaf, kami ganti" in shown
    assert run(known, "complaints", "set-category", "K9MN", "service").output == "K9MN: quality -> service\n"
    assert "service" in run(known, "complaints", "show", "K9MN").output.splitlines()[0]
    assert run(known, "complaints", "set-category", "K9MN", "gossip").exit_code == 2
    assert run(known, "complaints", "show", "KZZZ").exit_code == 1


def test_shops_list_show_and_classify(known):
    listed = run(known, "shops", "list").output.splitlines()
    assert len(listed) == 28
    rdg1 = next(l for l in listed if l.startswith("RDG1"))
    assert " micro " in rdg1 and "*4.5 (2)" in rdg1 and "1 open" in rdg1
    assert " small " in next(l for l in run(known, "shops", "list", "--law", "uu20-2008")
                             .output.splitlines() if l.startswith("RDG1"))
    shown = run(known, "shops", "show", "RDG1").output
    assert "rating     *4.5 from 2 review(s)" in shown
    assert "class      micro (pp7-2021)" in shown and "class      small (uu20-2008)" in shown
    assert "kecamatan Lamposi Tigo Nagori" in shown and "complaints 1 open, 1 closed" in shown
    assert run(known, "shops", "show", "NOPE").exit_code == 1
    pp = run(known, "shops", "classify").output.splitlines()
    uu = run(known, "shops", "classify", "--law", "uu20-2008").output.splitlines()
    assert pp[-1].startswith("pp7-2021: ") and uu[-1] == "uu20-2008: medium 5, micro 19, small 4"
    assert next(l for l in pp if l.startswith("RDG2")).endswith(" small")
    assert next(l for l in uu if l.startswith("RDG2")).endswith(" medium")


def test_the_report_ends_with_the_searches_nobody_could_answer(seeded):
    from click.testing import CliRunner

    from smsbot.cli import main
    from smsbot.testing import Conversation

    Conversation(seeded).send("081300000001", "CARI pizza")
    url = str(seeded.url)
    out = CliRunner().invoke(main, ["--db", url, "report"]).output
    assert "Top searches with no result" in out and "pizza" in out
