"""`smsbot import` and `smsbot contacts add`, as an admin runs them: the first test of each
runs the installed script (the scripting contract), the rest the same command in this process."""

import subprocess

import pytest
from sqlmodel import Session, select

from smsbot.catalog.models import Product, Shop
from smsbot.contacts.models import Contact
from smsbot.store import engine as db

from ..conftest import smsbot_here as smsbot

pytestmark = pytest.mark.backends

SHOPS = """code,name,phone,address,kelurahan,lat,lon,hours,assets_idr,annual_sales_idr
rd01,Rendang Uni Test,0812 6600 1111,Jl. Tan Malaka 1,Sungai Durian,-0.2301,100.6402,08:00-21:00,45000000,250000000
GL09,Galamai Test,+6285263001122,Jl. Soekarno Hatta 3,Ibuah,,,,,
"""
PRODUCTS = """code,shop_code,name,category,price_idr,unit,stock
rt99,rd01,Rendang Telur Test 250g,Rendang,21000,bungkus,12
GL99,GL09,Galamai Test 500g,galamai,47.500,kotak,
"""


def script(env, *args):
    """The installed `smsbot` script in its own process."""
    return subprocess.run(["smsbot", *args], env=env, capture_output=True, text=True, timeout=60)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def engine_of(env):
    return db.make_engine(env["SMSBOT_DB"])


def test_import_shops_and_products(tmp_path, cli_env):
    done = script(cli_env, "import", "shops", write(tmp_path, "s.csv", SHOPS))
    assert done.returncode == 0, done.stderr
    assert "2 shops added, 0 updated" in done.stdout
    done = smsbot(cli_env, "import", "products", write(tmp_path, "p.csv", PRODUCTS))
    assert done.returncode == 0, done.stderr
    with Session(engine_of(cli_env)) as session:
        shop = session.exec(select(Shop).where(Shop.code_key == "RD01")).one()
        assert shop.code == "rd01" and shop.phone == "+6281266001111"
        ibuah = session.exec(select(Shop).where(Shop.code == "GL09")).one()
        assert round(ibuah.lat, 3) == -0.235 and ibuah.lon > 100.6  # kelurahan centroid
        product = session.exec(select(Product).where(Product.code == "GL99")).one()
        assert product.price_idr == 47500 and product.stock == 0
        seller = session.exec(select(Contact).where(Contact.phone == "+6281266001111")).one()
        assert seller.role == "seller"
    # the code is shown exactly as imported
    chat = smsbot(cli_env, "chat", stdin='{"from": "081300000001", "text": "cari rt99"}\n')
    assert '"text": "1)rt99 Rendang Telur Test 250g 21rb Rendang Uni Test"' in chat.stdout


def test_reimport_updates_by_code(tmp_path, cli_env):
    smsbot(cli_env, "import", "shops", write(tmp_path, "s.csv", SHOPS))
    changed = SHOPS.replace("Rendang Uni Test", "Rendang Uni Baru")
    done = smsbot(cli_env, "import", "shops", write(tmp_path, "s2.csv", changed))
    assert "0 shops added, 2 updated" in done.stdout
    with Session(engine_of(cli_env)) as session:
        assert len(session.exec(select(Shop)).all()) == 2
        assert session.exec(select(Shop).where(Shop.code == "rd01")).one().name == "Rendang Uni Baru"


def test_bad_rows_are_reported_by_line_and_nothing_is_written(tmp_path, cli_env):
    bad = SHOPS + (
        "RD02,Bad Phone,12345,Jl. X,Ibuah,,,,,\n"
        "RD03,Bad Hours,081266002222,Jl. Y,Ibuah,,,9-5,,\n"
        "RD04,Nowhere,081266003333,Jl. Z,Atlantis,,,,,\n"
        "rd01,Duplicate,081266004444,Jl. Q,Ibuah,,,,,\n"
        "RD05,Bad Lat,081266005555,Jl. R,Ibuah,abc,100.6,,,\n"
    )
    done = smsbot(cli_env, "import", "shops", write(tmp_path, "bad.csv", bad))
    assert done.returncode == 1
    for expected in ["line 4: phone '12345'", "line 5: hours '9-5'",
                     "line 6: lat/lon empty and kelurahan 'Atlantis'",
                     "line 7: code RD01 already on line 2", "line 8: lat 'abc'",
                     "nothing imported (5 problem(s))"]:
        assert expected in done.stderr
    with Session(engine_of(cli_env)) as session:
        assert session.exec(select(Shop)).all() == []


def test_products_need_known_shops_and_valid_prices(tmp_path, cli_env):
    smsbot(cli_env, "import", "shops", write(tmp_path, "s.csv", SHOPS))
    bad = PRODUCTS + "X1,NOPE,Thing,kue,1000,pcs,1\nX2,rd01,Thing,kue,gratis,pcs,1\nX3,rd01,Thing,kue,0,pcs,-1\n"
    done = smsbot(cli_env, "import", "products", write(tmp_path, "p.csv", bad))
    assert done.returncode == 1
    assert "line 4: shop_code 'NOPE' is not a known shop" in done.stderr
    assert "line 5: price_idr 'gratis' is not a whole number" in done.stderr
    assert "line 6: price_idr 0 is below 1" in done.stderr
    assert "line 6: stock -1 is below 0" in done.stderr
    with Session(engine_of(cli_env)) as session:
        assert session.exec(select(Product)).all() == []


def test_wrong_header_and_missing_file(tmp_path, cli_env):
    done = smsbot(cli_env, "import", "shops", write(tmp_path, "h.csv", "kode,nama\nA,B\n"))
    assert done.returncode == 1 and "line 1: missing column(s) code, name, phone" in done.stderr
    done = smsbot(cli_env, "import", "shops", str(tmp_path / "missing.csv"))
    assert done.returncode == 1 and "No such file" in done.stderr


def test_contacts_add(cli_env):
    done = script(cli_env, "contacts", "add", "0812 0000 0009", "--role", "admin",
                  "--name", "Dinas", "--pin", "4321")
    assert done.returncode == 0 and "+6281200000009 admin Dinas" in done.stdout
    with Session(engine_of(cli_env)) as session:
        admin = session.exec(select(Contact)).one()
        assert admin.pin_hash and "4321" not in admin.pin_hash
    assert smsbot(cli_env, "contacts", "add", "TELKOMSEL", "--role", "buyer").returncode == 2
    assert smsbot(cli_env, "contacts", "add", "081200000009", "--role", "boss").returncode == 2
    assert "PIN must be 4 to 8 digits" in smsbot(
        cli_env, "contacts", "add", "081200000009", "--role", "admin", "--pin", "12").stderr
