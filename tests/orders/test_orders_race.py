"""Stock races: two acceptances of the last item must not both succeed, whether the two
SMS are handled one after the other by sessions holding stale reads, or at the same moment
by two processes (two engines, two threads) on the same SQLite file."""

import threading

import pytest
from sqlmodel import Session, select

from smsbot.catalog.models import Product
from smsbot.orders import rules as orders
from smsbot.sms import core
from smsbot.store import engine as db
from tests.conftest import NOW

EMI = "081266104512"  # RDG1, sells RT01


def set_stock(engine, code, n):
    with Session(engine) as session:
        product = session.exec(select(Product).where(Product.code_key == code)).one()
        product.stock = n
        session.add(product)
        session.commit()


def stock(engine, code):
    with Session(engine) as session:
        return session.exec(select(Product.stock).where(Product.code_key == code)).one()


def confirmed_order(engine, buyer, text="PESAN RT01 1"):
    """A confirmed order (nothing reserved yet) and its code."""
    with Session(engine) as session:
        invoice = core.handle_message(buyer, text, NOW, session)[0].text
        code = invoice.split()[1].rstrip(":")
        core.handle_message(buyer, "YA", NOW, session)
        session.commit()
    return code


@pytest.fixture
def last_item(seeded):
    set_stock(seeded, "RT01", 1)
    # two buyers confirm an order for the last RT01: allowed, nothing is reserved before TERIMA
    return [confirmed_order(seeded, "081300000001"), confirmed_order(seeded, "081300000002")]


def test_stale_reads_cannot_oversell(seeded, last_item):
    first, second = last_item
    with Session(seeded) as a, Session(seeded) as b:
        # both handlers have already looked at the product (stock 1) ...
        assert a.exec(select(Product).where(Product.code_key == "RT01")).one().stock == 1
        assert b.exec(select(Product).where(Product.code_key == "RT01")).one().stock == 1
        order_a, order_b = orders.find(a, first), orders.find(b, second)
        # ... then A accepts and commits, then B tries with its stale copy
        assert orders.accept(a, orders.parts(a, order_a)[0][0], NOW) is None
        a.commit()
        problem = orders.accept(b, orders.parts(b, order_b)[0][0], NOW)
        b.commit()
    assert problem is not None and problem.values == {"code": "RT01", "stock": 0}
    assert stock(seeded, "RT01") == 0


def test_two_daemons_accepting_at_once_sell_the_last_item_once(seeded, last_item):
    url = str(seeded.url)
    engines = [db.make_engine(url), db.make_engine(url)]  # two processes' worth of connections
    barrier = threading.Barrier(2)
    answers, errors = {}, []

    def seller(engine, code):
        try:
            with Session(engine) as session:
                barrier.wait(timeout=10)
                replies = core.handle_message(EMI, f"TERIMA {code}", NOW, session)
                session.commit()
                answers[code] = [r.text for r in replies if r.to == "+6281266104512"][0]
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=seller, args=(engine, code))
               for engine, code in zip(engines, last_item)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()
    assert not errors
    accepted = [code for code, text in answers.items() if text.startswith(f"Pesanan {code} diterima")]
    refused = [code for code, text in answers.items() if text.startswith("Stok RT01 tinggal 0")]
    assert len(accepted) == 1 and len(refused) == 1, answers
    assert stock(seeded, "RT01") == 0
    with Session(seeded) as session:
        states = sorted(orders.parts(session, orders.find(session, c))[0][0].status for c in last_item)
    assert states == ["accepted", "pending"]


def test_a_multi_item_acceptance_takes_all_or_nothing(seeded):
    code = confirmed_order(seeded, "081300000001", "PESAN RT01 2 RT09 3")
    set_stock(seeded, "RT09", 2)  # RT01 is fine, RT09 is short
    with Session(seeded) as session:
        replies = core.handle_message(EMI, f"TERIMA {code}", NOW, session)
        session.commit()
    assert replies[0].text.startswith("Stok RT09 tinggal 2")
    assert (stock(seeded, "RT01"), stock(seeded, "RT09")) == (80, 2)
