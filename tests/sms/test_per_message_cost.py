"""The work per SMS does not grow with the city: at 30 shops and at 3,000, a CARI or LOKASI
through `smsbot chat` runs the same SQL statements, none of them scans the shops, products
or contacts, and the timers cost nothing until something can be due."""

import io
import json
import re

import pytest
from sqlalchemy import event, insert
from sqlmodel import Session, select

from smsbot.catalog.models import Product, Shop
from smsbot.clock import to_db
from smsbot.contacts.models import Contact
from smsbot.sim.chat import run_chat
from smsbot.sms import grammar as grammar_module
from smsbot.store import engine as db, txcache
from tests.conftest import NOW

BUYER = "+6281300000001"
MESSAGES = ["CARI rendang", "LOKASI Pasar Ibuh", "CARI galamai", "LOKASI -0.2245,100.6530"]


def grow_city(engine, shops: int) -> None:
    """`shops` more shops around Payakumbuh, each with a product and a seller contact."""
    shop_rows = [dict(code=f"X{n}", code_key=f"X{n}", name=f"Warung Uji {n}",
                      phone=f"+62812{n:07d}", lat=-0.20 - (n % 60) * 0.001,
                      lon=100.60 + (n // 60) * 0.001, hours="07:00-21:00", address="",
                      kelurahan="", payment_info="", active=True) for n in range(shops)]
    with Session(engine) as session:
        session.execute(insert(Shop), shop_rows)
        session.execute(insert(Contact), [dict(phone=row["phone"], role="seller", name="",
                                               language="id", promo_opt_in=False, pin_hash="",
                                               kelurahan="", created_at=to_db(NOW))
                                          for row in shop_rows])
        ids = dict(session.execute(select(Shop.code, Shop.id)).all())
        session.execute(insert(Product), [dict(code=f"XP{n}", code_key=f"XP{n}",
                                               shop_id=ids[f"X{n}"], name=f"Keripik uji {n}",
                                               category="", price_idr=10_000, unit="", stock=5,
                                               active=True) for n in range(shops)])
        txcache.wrote(session, ("shop", "product"))  # bulk SQL: the catalog version moves on
        session.commit()


def statements_per_message(engine) -> list[list[tuple[str, object]]]:
    """The statements each of MESSAGES ran through `smsbot chat` (after a first message,
    which loads the search index), with their parameters."""
    seen: list[tuple[str, object]] = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, params, _ctx, _many: seen.append((statement, params)))
    per_message = []

    def lines():
        yield json.dumps({"from": BUYER, "text": "CARI keripik", "at": NOW.isoformat()})
        for message in MESSAGES:
            seen.clear()
            yield json.dumps({"from": BUYER, "text": message})
            per_message.append(list(seen))
        seen.clear()
        yield ""  # the last message is answered before the next line is asked for

    out = io.StringIO()
    assert run_chat(engine, lines(), out, grammar_module.load()) == 0
    assert len(out.getvalue().splitlines()) == 1 + len(MESSAGES)
    return per_message


@pytest.fixture(scope="module")
def cities(tmp_path_factory):
    """{shops: (engine, statements per message)} at 30 and at 3,000 shops (28 demo + more)."""
    from smsbot.sim.seed import seed_demo

    made = {}
    for extra in (2, 2_972):
        engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('city') / 'city.db'}")
        seed_demo(engine, NOW)
        grow_city(engine, extra)
        made[28 + extra] = engine, statements_per_message(engine)
    yield made
    for engine, _ in made.values():
        engine.dispose()


def shape(statement: str) -> str:
    return re.sub(r"\s+", " ", statement)


def test_a_message_runs_the_same_statements_at_30_and_at_3000_shops(cities):
    (_, small), (_, large) = cities[30], cities[3_000]
    timer_tables = re.compile(
        r'\b(FROM|UPDATE|INTO) "?(order|suborder|complaint|broadcast|lock)"?\b')
    for message, few, many in zip(MESSAGES, small, large):
        assert [shape(s) for s, _ in few] == [shape(s) for s, _ in many], message
        # nothing due: the timers ask nothing, take no lock, commit nothing
        assert not [s for s, _ in many if timer_tables.search(s)], message


def test_no_statement_of_a_message_scans_the_shops_products_or_contacts(cities):
    engine, per_message = cities[3_000]
    for message, statements in zip(MESSAGES, per_message):
        with engine.connect() as connection:
            for statement, params in statements:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                  params).all()
                scans = [row[-1] for row in plan
                         if re.match(r"SCAN (shop|product|contact)\b", row[-1])]
                assert not scans, (message, shape(statement), scans)


def test_admins_are_found_by_an_index_not_a_scan_of_the_contacts(seeded):
    with seeded.connect() as connection:
        plan = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT phone FROM contact WHERE role = 'admin'").all()
    assert any("ix_contact_role" in row[-1] for row in plan), plan
