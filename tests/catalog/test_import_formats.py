"""`smsbot import` reads lists the way admins keep them: .xlsx, `;` CSV with a BOM, `Rp 25.000`,
phones a spreadsheet mangled; and it tells how far it got (a bar on a terminal, a line in a log)."""

import io
import re

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlmodel import Session, select

from smsbot.catalog import cli as catalog_cli
from smsbot.catalog.cells import whole_number
from smsbot.catalog.models import Product, Shop
from smsbot.cli import main
from smsbot.contacts.models import Contact
from smsbot.store import engine as db

SHOP_HEADER = ["Code", "Name", "Phone", "Address", "Kelurahan", "Lat", "Lon", "Hours",
               "Assets IDR", "Annual Sales IDR"]


def smsbot(db_url, *args):
    return CliRunner().invoke(main, ["--db", db_url, *args])


def xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def stored(db_url, model) -> list:
    engine = db.make_engine(db_url)
    with Session(engine) as session:
        found = session.exec(select(model)).all()
    engine.dispose()
    return found


def one(db_url, model, code):
    return next(row for row in stored(db_url, model) if row.code == code)


@pytest.mark.backends
def test_xlsx_with_numbers_as_floats_and_phones_without_their_zero(tmp_path, db_url):
    assert smsbot(db_url, "contacts", "add", "085263001122", "--role", "admin").exit_code == 0
    shops = xlsx(tmp_path / "umkm.xlsx", [
        [f" {name} " if name == "Code" else name.upper() for name in SHOP_HEADER],
        ["RD01", "Rendang Uni Xl", 81266001111, "Jl. Tan Malaka 1", "Ibuah", -0.2301, 100.6402,
         "08:00-21:00", 45000000.0, "200.000.000"],
        ["GL09", "Galamai Xl ", 6285263001122, "", "Ibuah", None, None, None, None, None],
        [None] * 10,
        ["  "],  # a cell someone cleared with the space bar
    ])
    done = smsbot(db_url, "import", "shops", shops)
    assert done.exit_code == 0, done.output
    assert done.stdout == f"{shops}: 2 shops added, 0 updated\n"
    products = xlsx(tmp_path / "produk.xlsx", [
        ["code", "shop_code", "name", "category", "price_idr", "unit", "stock"],
        ["RT99", "rd01", "Rendang Telur Xl", "Rendang", 25000.0, "bungkus", 12.0],
        ["GL99", "GL09", "Galamai Xl", "galamai", "Rp 47.500", "kotak", None],
    ])
    done = smsbot(db_url, "import", "products", products)
    assert done.exit_code == 0, done.output
    shop = one(db_url, Shop, "RD01")
    assert shop.phone == "+6281266001111" and shop.assets_idr == 45_000_000
    assert shop.annual_sales_idr == 200_000_000 and shop.lat == -0.2301
    assert one(db_url, Shop, "GL09").name == "Galamai Xl"
    assert one(db_url, Shop, "GL09").phone == "+6285263001122"
    rendang, galamai = one(db_url, Product, "RT99"), one(db_url, Product, "GL99")
    assert (rendang.price_idr, rendang.stock) == (25000, 12)
    assert (galamai.price_idr, galamai.stock) == (47500, 0)
    roles = {c.phone: (c.role, c.name) for c in stored(db_url, Contact)}
    assert roles == {"+6281266001111": ("seller", "Rendang Uni Xl"),  # a shop's phone: a seller
                     "+6285263001122": ("admin", "Galamai Xl")}  # an admin stays an admin


def test_semicolon_csv_with_bom_rupiah_and_header_in_its_own_case(tmp_path, db_url):
    shops = tmp_path / "s.csv"
    shops.write_text("code,name,phone,address,kelurahan,lat,lon,hours,assets_idr,annual_sales_idr\n"
                     "RD01,Rendang,081266001111,,Ibuah,,,,,\n")
    assert smsbot(db_url, "import", "shops", str(shops)).exit_code == 0
    products = tmp_path / "p.csv"
    products.write_bytes("\ufeffCode ; Shop Code;NAME;Category;Price IDR;Unit;Stock\n"
                         "A1;RD01;Satu ;kue;Rp 25.000;pcs;1\n"
                         "A2;RD01;Dua;kue;Rp25.000,-;pcs;2\n"
                         "A3;RD01;Tiga;kue;200000000.0;pcs;3.0\n"
                         "A4;RD01;Empat;kue;200.000.000;pcs;\n"
                         "A5;RD01;Lima;kue;25.000,00 ;pcs; 5 \n"
                         ";;;;;;\n\n".encode())
    done = smsbot(db_url, "import", "products", str(products))
    assert done.exit_code == 0, done.output
    assert done.stdout == f"{products}: 5 products added, 0 updated\n"
    prices = {code: one(db_url, Product, code).price_idr for code in ("A1", "A2", "A3", "A4", "A5")}
    assert prices == {"A1": 25000, "A2": 25000, "A3": 200_000_000, "A4": 200_000_000, "A5": 25000}
    assert one(db_url, Product, "A1").name == "Satu" and one(db_url, Product, "A5").stock == 5


def test_mangled_cells_are_reported_by_line_and_nothing_is_written(tmp_path, db_url):
    shops = xlsx(tmp_path / "umkm.xlsx", [
        SHOP_HEADER,
        ["RD01", "Good", "081266001111", "", "Ibuah"],
        [],  # an empty row still counts as a line of the sheet
        ["RD02", "Lost digits", "6.28123E+11", "", "Ibuah"],
        ["RD03", "Half rupiah", "081266003333", "", "Ibuah", None, None, None, "12,5"],
        ["RD04", "Exponent", "081266004444", "", "Ibuah", None, None, None, "2E+08"],
    ])
    done = smsbot(db_url, "import", "shops", shops)
    assert done.exit_code == 1
    assert "line 4: phone '6.28123E+11' lost its last digits to scientific notation" in done.stderr
    assert "line 5: assets_idr '12,5' is not a whole number" in done.stderr
    assert "line 6: assets_idr '2E+08' is in scientific notation" in done.stderr
    assert "nothing imported (3 problem(s))" in done.stderr
    assert done.stdout == ""
    csv = tmp_path / "s.csv"
    csv.write_text(";".join(SHOP_HEADER) + "\nRD05;Bad;6.28123E+11;;Ibuah;;;;;\n")
    assert "line 2: phone '6.28123E+11' lost its last" in smsbot(
        db_url, "import", "shops", str(csv)).stderr
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(b"code,name\nA,Caf\xe9\n")
    assert "line 2: unreadable CSV" in smsbot(db_url, "import", "shops", str(latin1)).stderr


def test_without_a_terminal_one_summary_line_on_stderr(tmp_path, db_url):
    shops = tmp_path / "s.csv"
    shops.write_text(",".join(SHOP_HEADER).lower().replace(" ", "_")
                     + "\nRD01,Rendang,081266001111,,Ibuah,,,,,\n")
    done = smsbot(db_url, "import", "shops", str(shops))
    assert done.stdout == f"{shops}: 1 shops added, 0 updated\n"  # the scripting contract
    assert re.fullmatch(r"imported 1 shops from s\.csv in \d+\.\d s\n", done.stderr)


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_a_progress_bar(tmp_path, db_url, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(catalog_cli, "_stderr", lambda: terminal)
    shops = tmp_path / "s.csv"
    shops.write_text(",".join(SHOP_HEADER).lower().replace(" ", "_")
                     + "\nRD01,Rendang,081266001111,,Ibuah,,,,,\n")
    done = smsbot(db_url, "import", "shops", str(shops))
    assert done.exit_code == 0 and done.stderr == ""
    drawn = terminal.getvalue()
    assert "s.csv: checking" in drawn and "s.csv: writing" in drawn and "100%" in drawn
    assert "1/1" in drawn and "imported" not in drawn


@pytest.mark.parametrize("text, number", [
    ("25000", 25000), ("25.000", 25000), ("200.000.000", 200_000_000), ("25,000", 25000),
    ("200000000.0", 200_000_000), ("25.000,00", 25000), ("Rp 25.000", 25000),
    ("Rp. 25.000", 25000), ("Rp25.000,-", 25000), ("IDR 25000", 25000), ("-1", -1)])
def test_rupiah_as_spreadsheets_write_it(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize("text", ["12.5", "25.00.0", "gratis", "2E+05", "Rp"])
def test_not_a_whole_number(text):
    with pytest.raises(ValueError):
        whole_number(text)


def test_the_city_generator_writes_files_that_import(tmp_path, engine):
    from smsbot.catalog import citygen

    shops, products = citygen.write_city_csv(tmp_path, shops=30, products=120, seed=3)
    again = citygen.write_city_csv(tmp_path / "again", shops=30, products=120, seed=3)
    assert [p.read_bytes() for p in (shops, products)] == [p.read_bytes() for p in again]
    assert citygen.time_import(engine, "shops", shops)["created"] == 30
    timed = citygen.time_import(engine, "products", products)
    assert timed["created"] == 120 and timed["wall_s"] >= 0 and timed["cpu_s"] >= 0
