"""CARI never shows a stale stock, price or promo, whoever changed the catalog: a seller's
STOK, HARGA or PROMO, an order taking stock back and forth, an import, the website, or
another process on the same database. The search index catches up in place by catalog
version; a full build happens only when the index is first loaded."""

import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from smsbot.catalog import changes
from smsbot.catalog.importer import import_file
from smsbot.catalog.models import Product, Shop
from smsbot.cli import main
from smsbot.clock import utcnow
from smsbot.modem import dummy
from smsbot.search import live as search_index, snapshot
from smsbot.search.words import parse_query
from smsbot.store import engine as db
from smsbot.web.actions import run_command
from tests.conftest import NOW

BUYER = "081300000001"
ETEK = "082384561207"  # RDG3 Randang Talua Mak Etek: RT03 18rb
SALMAH = "081170236645"  # RDG6 Rendang Bundo Salmah: RT06 22rb
ADMIN = "081200000001"


def first_line(conversation, text):
    return conversation.replies(BUYER, text)[0].split(" 2)")[0]


def listed(conversation, text):
    return conversation.replies(BUYER, text)[0]


@pytest.fixture
def builds(conversation):
    """Full index builds from here on (the first CARI builds the index once)."""
    conversation.replies(BUYER, "cari rendang")
    start = search_index.STATS["builds"]
    return lambda: search_index.STATS["builds"] - start


@pytest.mark.backends
def test_seller_stok_harga_promo_show_in_the_next_cari(conversation, builds):
    assert first_line(conversation, "cari randang talua") == "1)RT03 Randang Talua 250g 18rb Mak Etek"
    conversation.check(f"""
        {SALMAH} > HARGA RT06 15000
        {SALMAH} <~ sekarang 15rb
    """)
    assert first_line(conversation, "cari randang talua").startswith("1)RT06 Rendang Telur 250g 15rb")
    conversation.check(f"""
        {SALMAH} > STOK RT06 0
        {SALMAH} <~ sekarang 0
    """)
    assert first_line(conversation, "cari randang talua") == "1)RT03 Randang Talua 250g 18rb Mak Etek"
    conversation.check(f"""
        {ETEK} > PROMO RT03 10 3
        {ETEK} <~ RT03
        {ADMIN} <~ Promo #1
    """)
    assert first_line(conversation, "cari randang talua").startswith("1)RT03 Randang Talua 250g 16.200")
    assert builds() == 0


@pytest.mark.backends
def test_a_web_stock_change_shows_in_the_next_cari(conversation, seeded, builds):
    assert "RT06 Rendang Telur 250g 22rb" in listed(conversation, "cari rendang telur 250g")
    assert run_command(seeded, "+6281170236645", "STOK RT06 0", NOW)
    assert "RT06" not in listed(conversation, "cari rendang telur 250g").split("(habis)")[0]
    assert builds() == 0


@pytest.mark.backends
def test_an_import_shows_new_prices_and_products_at_once(conversation, seeded, builds, tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text("code,shop_code,name,category,price_idr,unit,stock\n"
                   "RT06,RDG6,Rendang Telur 250g,rendang,10000,kotak,150\n"
                   "RK01,RDG1,Rendang Kapau 250g,rendang,30000,bungkus,9\n")
    assert import_file(seeded, "products", csv, utcnow()).ok
    assert first_line(conversation, "cari randang talua").startswith("1)RT06 Rendang Telur 250g 10rb")
    assert first_line(conversation, "cari rendang kapau") == "1)RK01 Rendang Kapau 250g 30rb Rendang Uni Emi"
    assert builds() == 0


@pytest.mark.backends
def test_another_process_writing_the_same_database_is_seen(conversation, db_url, builds):
    other = db.make_engine(db_url)  # its own connections: only the database is shared
    try:
        with Session(other) as session:
            rt03 = session.exec(select(Product).where(Product.code == "RT03")).one().id
            assert changes.take_stock(session, rt03, 60)  # an order took the last ones
            rt06 = session.exec(select(Product).where(Product.code == "RT06")).one()
            rt06.name = "Rendang Zebrakue 250g"  # an edit through the ORM: words change
            session.add(rt06)
            rt02 = session.exec(select(Product).where(Product.code == "RT02")).one()
            assert changes.hide_product(session, rt02)
            shop = Shop(code="ZZ1", code_key="ZZ1", name="Lapau Uni Zaitun", phone="+6281200000099")
            session.add(shop)
            session.flush()
            session.add(Product(code="ZZ01", code_key="ZZ01", shop_id=shop.id, name="Pinyaram Durian",
                                category="kue", price_idr=5000, stock=7))
            session.commit()
        page = listed(conversation, "cari randang talua")
        assert page.startswith("1)RT07") and "RT02" not in page and "RT06" not in page
        assert "RT03" not in page
        assert first_line(conversation, "cari zebrakue").startswith("1)RT06 Rendang Zebrakue 250g 22rb")
        assert first_line(conversation, "cari pinyaram durian").startswith("1)ZZ01 Pinyaram Durian 5rb")
        with Session(other) as session:
            assert changes.give_back_stock(session, rt03, 60) is None
            session.commit()
        assert first_line(conversation, "cari randang talua") == "1)RT03 Randang Talua 250g 18rb Mak Etek"
        assert builds() == 0
    finally:
        other.dispose()


def hit(session, code):
    index = search_index.load(session)
    return index.hit(index.search(parse_query(code))[0][0])


@pytest.mark.backends
def test_a_change_rolled_back_is_never_served(seeded):
    with Session(seeded) as session:
        rt03 = session.exec(select(Product).where(Product.code == "RT03")).one()
        assert changes.change_product(session, rt03.id, stock=0, price_idr=1000)
        assert (hit(session, "RT03").stock, hit(session, "RT03").price) == (0, 1000)  # its own
        session.rollback()
    with Session(seeded) as session:
        assert (hit(session, "RT03").stock, hit(session, "RT03").price) == (60, 18000)


@pytest.mark.backends
def test_a_hundred_changes_build_the_index_once(seeded):
    with Session(seeded) as session:
        rt03 = session.exec(select(Product).where(Product.code == "RT03")).one().id
        hit(session, "RT03")
    start = search_index.STATS["builds"]
    for n in range(100):
        with Session(seeded) as session:
            changes.change_product(session, rt03, stock=n, price_idr=10_000 + n * 100)
            session.commit()
        with Session(seeded) as session:
            assert (hit(session, "RT03").stock, hit(session, "RT03").price) == (n, 10_000 + n * 100)
    assert search_index.STATS["builds"] == start


@pytest.mark.backends
def test_a_restarted_process_starts_from_the_snapshot_and_catches_up(seeded):
    with Session(seeded) as session:
        rt03 = session.exec(select(Product).where(Product.code == "RT03")).one().id
        snapshot.save(session, search_index.load(session))
    search_index.forget()  # the process stopped
    with Session(seeded) as session:
        changes.change_product(session, rt03, stock=0)  # a change while it was down
        session.commit()
    builds, snapshots = search_index.STATS["builds"], search_index.STATS["snapshots"]
    with Session(seeded) as session:
        assert hit(session, "RT03").stock == 0
        snapshot.path(session).unlink()
    assert (search_index.STATS["builds"], search_index.STATS["snapshots"]) == (builds, snapshots + 1)


@pytest.mark.backends
def test_cari_and_info_by_shop_code_follow_a_changed_code(conversation, db_url, builds):
    """CARI <shop code> finds the shop through a table kept beside the index (not a scan of
    every shop per SMS); a shop whose code changes in another process is found by its new
    code at once, and its old code no longer answers with its products."""
    assert listed(conversation, "cari RDG6").startswith("1)RT06 Rendang Telur")
    other = db.make_engine(db_url)
    try:
        with Session(other) as session:
            shop = session.exec(select(Shop).where(Shop.code == "RDG6")).one()
            shop.code, shop.code_key = "SLM1", "SLM1"
            session.commit()
    finally:
        other.dispose()
    assert listed(conversation, "cari slm1").startswith("1)RT06 Rendang Telur")
    assert not listed(conversation, "cari RDG6").startswith("1)RT06")
    assert conversation.replies(BUYER, "info slm1")[0].startswith("Rendang Bundo Salmah (SLM1)")
    assert builds() == 0


def test_a_long_running_index_is_saved_again_after_many_changes(seeded, monkeypatch):
    """A daemon that runs for weeks saves its index again every SNAPSHOT_AGAIN changed rows,
    so its restart catches up a few rows, not weeks of them (or a full build)."""
    saved = []
    monkeypatch.setattr(search_index, "SNAPSHOT_FROM", 0)
    monkeypatch.setattr(search_index, "SNAPSHOT_AGAIN", 3)
    monkeypatch.setattr(snapshot, "save_later", lambda session, index: saved.append(index.stamp))
    with Session(seeded) as session:
        rt03 = session.exec(select(Product).where(Product.code == "RT03")).one().id
        hit(session, "RT03")
    assert len(saved) == 1  # the build
    for n in range(4):
        with Session(seeded) as session:
            changes.change_product(session, rt03, stock=n)
            session.commit()
        with Session(seeded) as session:
            assert hit(session, "RT03").stock == n
    assert len(saved) == 2 and saved[1] != saved[0]  # saved again, with its newer stamp


def test_the_daemon_reads_the_index_as_it_starts_not_at_the_first_cari(seeded, tmp_path):
    """`smsbot run` loads the catalog's index while its modem opens, before any SMS: at city
    scale the first CARI would otherwise wait for a snapshot read or a build."""
    search_index.forget()
    builds = search_index.STATS["builds"]
    gammurc = dummy.write_config(tmp_path / "phone")
    result = CliRunner().invoke(main, ["--db", str(seeded.url), "run", "--modem", str(gammurc),
                                       "--until-idle"])
    assert result.exit_code == 0, result.output
    for thread in threading.enumerate():
        if thread.name == "index-load":
            thread.join(timeout=30)
    assert search_index.STATS["builds"] == builds + 1  # no SMS came: loaded ahead
    with Session(seeded) as session:
        assert hit(session, "RT03").code == "RT03"
    assert search_index.STATS["builds"] == builds + 1  # the first CARI found it loaded


AS_A_CITY = """
import sys, time
from smsbot.search import live, snapshot
live.SNAPSHOT_FROM = 0  # the demo's catalog is snapshotted as a city's is
write = snapshot.write
def write_slowly(target, index):  # and takes as long to write as a city's (~0.5 s)
    time.sleep(1)
    return write(target, index)
snapshot.write = write_slowly
from smsbot.cli import main
main(sys.argv[1:])
"""


def test_a_daemon_that_stops_at_once_still_leaves_the_snapshot_it_built(seeded, tmp_path):
    """The snapshot of a build made as `smsbot run` starts is written even when the daemon
    stops right after (the writer thread is started from the loading thread, and must not
    die with the process as that one may)."""
    gammurc = dummy.write_config(tmp_path / "phone")
    dummy.drop_sms(tmp_path / "phone", BUYER, "CARI rendang", 1)
    done = subprocess.run([sys.executable, "-c", AS_A_CITY, "--db", str(seeded.url), "-v", "run",
                           "--modem", str(gammurc), "--until-idle"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "search index ready" in done.stderr and "answered 1" in done.stderr
    with Session(seeded) as session:
        assert snapshot.read(session)["size"] == search_index.load(session).size


def test_a_large_catch_up_weighs_renamed_products_more_than_prices(seeded, monkeypatch):
    """Prices and stock are caught up in place up to REBUILD_ROWS rows; a renamed product
    re-posts its words and weighs REPOST_WEIGHT rows, so a few hundred renames (an import
    of new names) build the index again instead: that is quicker, and answers the same."""
    monkeypatch.setattr(search_index, "REBUILD_ROWS", 40)
    monkeypatch.setattr(search_index, "REPOST_WEIGHT", 16)
    with Session(seeded) as session:
        products = session.exec(select(Product).order_by(Product.id)).all()
        hit(session, "RT03")
    builds = search_index.STATS["builds"]
    with Session(seeded) as session:
        for product in products[:20]:
            changes.change_product(session, product.id, price_idr=product.price_idr + 500)
        session.commit()
    with Session(seeded) as session:
        assert hit(session, products[0].code).price == products[0].price_idr + 500
    assert search_index.STATS["builds"] == builds  # 20 price rows: in place
    with Session(seeded) as session:
        for product in session.exec(select(Product).order_by(Product.id).limit(3)):
            product.name = f"{product.name} Spesial"
        session.commit()
    with Session(seeded) as session:
        assert hit(session, products[0].code).name == f"{products[0].name} Spesial"
    assert search_index.STATS["builds"] == builds + 1  # 3 renamed = 48 rows' worth: a build
