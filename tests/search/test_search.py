"""CARI as Payakumbuh buyers type it: Minang spellings, typos, SMS short forms, no keyword."""

import pytest
from sqlmodel import Session, select

from smsbot.catalog.models import Product
from smsbot.search import live as search_index
from smsbot.search.models import SearchMiss
from smsbot.search.words import fold_words, parse_query

BUYER = "081300000001"



def first_codes(conversation, text, n=3):
    reply = conversation.replies(BUYER, text)[0]
    return [part.split()[0] for part in reply.split(")")[1:n + 1]], reply


@pytest.mark.parametrize("typed,code_prefix", [
    ("cari randang talua", "RT"), ("cari rendang telor", "RT"), ("cari rendang talua", "RT"),
    ("cari rendang baluik", "RB"), ("cari randang belut", "RB"),
    ("cari rendang runtiah", "RS"), ("cari rendang suwir", "RS"), ("cari rendang suir", "RS"),
    ("cari gelamai", "GL"), ("cari kalamai", "GL"), ("cari calamai", "GL"), ("cari galamai", "GL"),
    ("cari pisang sale", "PS"), ("cari salai pisang", "PS"), ("cari pisang salai", "PS"),
    ("cari sanjay", "SJ"), ("cari keripik singkong balado", "SJ"), ("cari keripik balado", "SJ"),
    ("cari jangek", "JK"), ("cari kerupuk kulit", "JK"), ("cari karupuak jangek", "JK"),
    ("cari karupuak ganepo", "KG"), ("cari teh telur", "TT"), ("cari teh talua", "TT"),
    ("cari batih", "BT"), ("cari dakak2", "DK"), ("cari dakak dakak", "DK"),
    ("cari rendang jaguang", "RJ"), ("cari rendang pudiang rimbo", "RD"),
])
def test_spelling_families_find_the_same_food(reader, typed, code_prefix):
    codes, reply = first_codes(reader, typed)
    assert codes and all(c.startswith(code_prefix) for c in codes), reply


@pytest.mark.parametrize("typed,code_prefix", [
    ("cari rendng telur", "RT"), ("cari galamay", "GL"), ("cari sanjai baladoo", "SJ"),
    ("cari pinyarem", "PY"), ("cari kacimuis", "KC"), ("cari bareh randan", "BR"),
    ("cari batiahh", "BT"), ("cari lapek bugis", "LB"), ("cari rend telur", "RT"),
])
def test_typos_and_unfinished_words(reader, typed, code_prefix):
    codes, reply = first_codes(reader, typed)
    assert codes and all(c.startswith(code_prefix) for c in codes), reply


def test_best_match_first_then_in_stock_then_cheaper(conversation):
    conversation.check(f"""
        {BUYER} > cari sanjai balado pedas
        {BUYER} < 1)SJ04 Sanjai Balado Pedas 17rb Uni Lis 2)SJ08 Sanjai Balado Pedas 17.500 Mande Rubiah 3)SJ02 Sanjai Balado Pedas 18rb Amak Haji Ketik LAGI utk berikutnya
    """)
    codes, _ = first_codes(conversation, "cari rendang ubi")
    assert codes == ["RU02", "RU01", "RU03"]  # RU03 is sold out: last although cheaper per kg


def test_sold_out_comes_after_everything_in_stock(conversation):
    texts = [conversation.replies(BUYER, "cari galamai")[0]]
    texts += [conversation.replies(BUYER, "lagi")[0] for _ in range(3)]
    assert "GL07" in texts[-1] and "(habis)" in texts[-1]
    assert all("(habis)" not in t for t in texts[:-1])


def test_murah_sorts_by_price_and_pedas_original_and_shop_narrow(conversation):
    codes, _ = first_codes(conversation, "cari rendang yg murah")
    assert codes == ["RU02", "RJ02", "RJ01"]
    codes, _ = first_codes(conversation, "cari sanjai original")
    assert codes == ["SJ05", "SJ01", "SJ11"]
    codes, _ = first_codes(conversation, "cari sanjai padeh")  # Minang for pedas
    assert codes == ["SJ04", "SJ08", "SJ02"]
    conversation.check(f"""
        {BUYER} > cari galamai ibu ros
        {BUYER} < 1)GL02 Galamai Original 250g 26rb Galamai Ibu Ros 2)GL01 Galamai Original 500g 50rb Galamai Ibu Ros
        {BUYER} > cari rendang dibawah 12rb
        {BUYER} < 1)RU02 Rendang Ubi 250g 11rb Uni Yet 2)RJ02 Rendang Jagung 250g 11.500 Uda Rajo 3)RJ01 Rendang Jagung 250g 12rb Talua Mak Etek Ketik LAGI utk berikutnya
    """)


def test_paging_continues_the_list_and_ends(conversation):
    conversation.check(f"""
        {BUYER} > cari pisang salai
        {BUYER} <~ 1)PS05 Pisang Salai 200g 9rb
        {BUYER} > lagi
        {BUYER} <~ 4)PS01
        {BUYER} > lagi
        {BUYER} <~ 7)PS08
        {BUYER} > lagi
        {BUYER} < Sudah semua hasil untuk pisang salai. Ketik CARI <makanan> untuk cari lagi.
    """)


def test_no_result_suggests_close_words_and_is_recorded(conversation, seeded):
    conversation.check(f"""
        {BUYER} > cari pisza
        {BUYER} < Maaf, pisza tidak ditemukan. Mungkin maksud Anda: pisang? Contoh: CARI pisang
        {BUYER} > CARI rendang kapau pedas
        {BUYER} < Maaf, rendang kapau pedas tidak ditemukan. Mungkin maksud Anda: rendang, pedas, paru? Contoh: CARI rendang
        {BUYER} > cari pizza
        {BUYER} < Maaf, pizza tidak ditemukan. Coba: CARI rendang, galamai, sanjai, pisang salai
        081300000002 > brp harga pizza?
        081300000002 <~ Payakumbuh UMKM SMS.
    """)
    with Session(seeded) as session:
        misses = session.exec(select(SearchMiss).order_by(SearchMiss.id)).all()
        assert [m.query for m in misses] == ["pisza", "rendang kapau pedas", "pizza"]
        assert misses[0].phone == "+6281300000001" and misses[1].text == "rendang kapau pedas"


def test_messages_without_keyword_that_name_food_are_searches(conversation):
    conversation.check(f"""
        {BUYER} > galamai
        {BUYER} <~ 1)GL10 Kalamai 250g 24rb
        {BUYER} > brp harga rendang telur
        {BUYER} <~ 1)RT03 Randang Talua 250g 18rb
        {BUYER} > ada jual batiah?
        {BUYER} <~ 1)BT02 Batiah isi 18 9rb
        {BUYER} > uda, ado sanjay padeh?
        {BUYER} <~ 1)SJ04 Sanjai Balado Pedas
        {BUYER} > selamat pagi uda
        {BUYER} <~ Payakumbuh UMKM SMS. Ketik:
        {BUYER} > terima kasih
        {BUYER} <~ Payakumbuh UMKM SMS. Ketik:
    """)


def test_catalog_changes_reach_the_index(conversation, seeded):
    assert "(habis)" in conversation.replies(BUYER, "cari galamai durian")[0]
    with Session(seeded) as session:
        product = session.exec(select(Product).where(Product.code == "GL07")).one()
        product.stock, product.price_idr = 5, 20000  # what STOK / HARGA would do
        session.add(product)
        session.commit()
    assert conversation.replies(BUYER, "cari galamai")[0].startswith("1)GL07 Galamai Durian 500g 20rb")
    with Session(seeded) as session:
        product = session.exec(select(Product).where(Product.code == "GL07")).one()
        product.active = False
        session.add(product)
        session.commit()
    assert "GL07" not in conversation.replies(BUYER, "cari galamai durian")[0]


def test_import_from_another_process_is_seen(conversation, engine, tmp_path):
    from smsbot.catalog.importer import import_file
    from smsbot.clock import utcnow

    assert conversation.replies(BUYER, "cari rendang kapau")[0].startswith("1)")  # kapau ignored
    csv = tmp_path / "p.csv"
    csv.write_text("code,shop_code,name,category,price_idr,unit,stock\n"
                   "RK01,RDG1,Rendang Kapau 250g,rendang,30000,bungkus,9\n")
    search_index.forget()  # as if the import ran in another process: only the DB is shared
    before = search_index.load(Session(engine))
    assert import_file(engine, "products", csv, utcnow()).ok
    assert conversation.replies(BUYER, "cari rendang kapau")[0] == \
        "1)RK01 Rendang Kapau 250g 30rb Rendang Uni Emi"
    with Session(engine) as session:  # caught up in place by catalog version, not rebuilt
        assert search_index.load(session) is before
        assert before.codes[before.search(parse_query("rendang kapau"))[0][0]] == "RK01"


def test_words_fold_the_same_way():
    assert fold_words("Randang Talua 250 gr") == ["rendang", "telur", "250g"]
    assert fold_words("Keripik Singkong Balado") == ["sanjai", "balado"]
    query = parse_query("brp harga rendang yg murah dgn telur uda? 30rb")
    assert query.words == ["rendang", "telur"] and query.cheapest and query.max_price == 30000
    assert query.optional == ["uda"]


def test_every_search_reply_is_one_gsm7_sms(conversation):
    for text in ["cari rendang", "lagi", "lagi", "cari sanjai", "cari kerupuk", "cari kue",
                 "cari pinyaram", "cari oleh oleh", "cari a", "cari " + "galamai " * 40,
                 "cari xyzzy qwerty", "cari 12345", "galamai durian", "cari rendang paru",
                 "lagi", "lagi", "lagi"]:
        conversation.send(BUYER, text)
    for sent in conversation.outgoing:
        assert sent.encoding == "gsm7" and sent.segments == 1 and len(sent.text) <= 160, sent


def test_report_searches_cli(cli_env):
    import json
    import subprocess

    from ..conftest import smsbot_here

    assert smsbot_here(cli_env, "db", "seed").returncode == 0
    lines = "".join(json.dumps({"from": phone, "text": text, "at": "2026-11-27T10:00"}) + "\n"
                    for phone, text in [("081300000001", "cari pizza"), ("081300000002", "cari Pizza!"),
                                        ("081300000002", "cari pizza"), ("081300000003", "cari bakso"),
                                        ("081300000003", "cari rendang")])
    assert smsbot_here(cli_env, "chat", stdin=lines).returncode == 0
    done = subprocess.run(["smsbot", "report", "searches", "--days", "100000"], env=cli_env,
                          text=True, capture_output=True)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert rows[1].split()[:2] == ["3", "2"] and rows[1].endswith("pizza")
    assert rows[2].split()[:2] == ["1", "1"] and rows[2].endswith("bakso")
    assert len(rows) == 3


def test_a_stock_change_in_bulk_sql_is_seen_by_the_next_search(conversation, seeded):
    from smsbot.catalog.changes import change_product

    assert conversation.replies(BUYER, "cari batiah")[0].startswith("1)BT02 Batiah isi 18 9rb")
    with Session(seeded) as session:
        product = session.exec(select(Product).where(Product.code == "BT02")).one()
        change_product(session, product.id, stock=0)  # one UPDATE, no flush
        session.commit()
    assert conversation.replies(BUYER, "cari batiah")[0].startswith("1)BT01 Batiah isi 20 10rb")
