"""The in-memory look-ups that keep answering fast never show stale data: a
promo, a shop or a state row written elsewhere is seen at once, and what a rolled-back
transaction wrote is never served."""

from datetime import timedelta

from sqlmodel import Session, select

from smsbot.catalog.models import Product, PromoPrice, Shop
from smsbot.catalog.promos import cached_active_prices, cached_promo_price
from smsbot.clock import parse_iso, to_db
from smsbot.crm.shop_match import infer_shop
from smsbot.sms import conversation as state

NOW = parse_iso("2026-11-27T10:00")


def _promo(session, code: str, price: int) -> None:
    product = session.exec(select(Product).where(Product.code_key == code)).one()
    session.add(PromoPrice(product_id=product.id, percent=10, price_idr=price,
                           starts_at=to_db(NOW - timedelta(hours=1)),
                           ends_at=to_db(NOW + timedelta(days=1)), created_at=to_db(NOW)))


def test_a_promo_committed_elsewhere_shows_in_the_next_search(seeded):
    with Session(seeded) as session:
        assert cached_active_prices(session, ["RT01"], NOW) == {}  # now cached
    with Session(seeded) as other:
        _promo(other, "RT01", 20000)
        other.commit()
    with Session(seeded) as session:
        assert cached_active_prices(session, ["rt01"], NOW) == {"RT01": 20000}
        product = session.exec(select(Product).where(Product.code_key == "RT01")).one()
        assert cached_promo_price(session, product.id, NOW) == 20000
        assert cached_promo_price(session, product.id, NOW + timedelta(days=2)) is None


def test_a_rolled_back_promo_is_seen_by_its_own_transaction_only(seeded):
    with Session(seeded) as session:
        _promo(session, "RT01", 19000)
        assert cached_active_prices(session, ["RT01"], NOW) == {"RT01": 19000}
        session.rollback()
        assert cached_active_prices(session, ["RT01"], NOW) == {}
    with Session(seeded) as session:
        assert cached_active_prices(session, ["RT01"], NOW) == {}


def test_shop_inference_sees_a_shop_added_after_it_was_cached(seeded):
    text = "rendang mak tuo kurang asin"
    with Session(seeded) as session:
        assert infer_shop(session, text) is None
    with Session(seeded) as other:
        other.add(Shop(code="RDG9", code_key="RDG9", name="Rendang Mak Tuo", phone="+6281299990009",
                       address="Jl. Sudirman 9", kelurahan="Ibuah", lat=-0.22, lon=100.63))
        other.commit()
    with Session(seeded) as session:
        assert infer_shop(session, text).code_key == "RDG9"


def test_state_rows_are_read_once_and_kept_in_step_within_a_transaction(seeded):
    phone = "+6281300000001"
    with Session(seeded) as session:
        state.put(session, phone, "a", {"n": 1}, NOW)
        state.clear(session, phone, "a")  # never written: nothing to delete
        state.put(session, phone, "b", {"n": 2}, NOW)
        session.commit()
    with Session(seeded) as session:
        state.preload(session, [phone])
        assert state.get(session, phone, "a", NOW) is None
        assert state.get(session, phone, "b", NOW) == {"n": 2}
        state.clear(session, phone, "b")
        assert state.get(session, phone, "b", NOW) is None
        session.rollback()  # the delete is undone, and the memory forgotten
        assert state.get(session, phone, "b", NOW) == {"n": 2}


def test_stamps_are_read_once_per_transaction_and_renewed_by_its_own_catalog_writes(seeded):
    from sqlalchemy import event

    from smsbot.catalog import version

    statements = []

    def note(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(seeded, "before_cursor_execute", note)
    try:
        with Session(seeded) as session:
            first = version.stamp(session)
            assert version.stamp(session) == first
            assert sum("catalogversion" in s for s in statements) == 1
            shop = session.exec(select(Shop)).first()
            session.add(Product(code="ZZ01", code_key="ZZ01", shop_id=shop.id, name="Galamai baru",
                                category="galamai", price_idr=10000, stock=3))
            session.flush()  # bumps the catalog version in this transaction
            assert version.stamp(session) != first
            session.rollback()
            assert version.stamp(session) == first  # the rolled-back bump is gone
    finally:
        event.remove(seeded, "before_cursor_execute", note)


def test_admins_and_contacts_are_read_once_per_transaction_and_a_new_admin_counts_at_once(seeded):
    from smsbot.contacts import directory as contacts

    with Session(seeded) as session:
        admins = contacts.admin_phones(session)
        assert admins and contacts.admin_phones(session) == admins
        buyer = contacts.get_or_create(session, "+6281299990001", NOW)
        session.flush()  # a new buyer leaves the admin list as it was
        assert contacts.admin_phones(session) == admins
        buyer.role = "admin"  # not flushed yet: the look-up flushes it first
        assert contacts.admin_phones(session) == sorted(admins + ["+6281299990001"])
        assert contacts.find(session, "+6281299990002") is None
        session.commit()
    with Session(seeded) as other:  # written elsewhere: seen by the next transaction
        contacts.get_or_create(other, "+6281299990002", NOW).role = "admin"
        other.commit()
    with Session(seeded) as session:
        assert "+6281299990002" in contacts.admin_phones(session)
        assert contacts.find(session, "+6281299990002").role == "admin"


def test_insert_now_writes_one_row_and_later_changes_to_it_are_saved(seeded):
    from sqlalchemy import inspect

    from smsbot.contacts import directory as contacts
    from smsbot.orders.models import Order
    from smsbot.store.fast_insert import insert_now

    with Session(seeded) as session:
        waiting = contacts.get_or_create(session, "+6281299990003", NOW)
        order = insert_now(session, Order(code="QQ77QQ", buyer_phone="+6281299990003",
                                          created_at=to_db(NOW)))
        assert order.id is not None and inspect(order).persistent
        assert inspect(waiting).pending  # the batch's other rows were not flushed for it
        order.status = "confirmed"  # tracked like any loaded row
        order_id = order.id
        session.commit()
    with Session(seeded) as session:
        again = session.exec(select(Order).where(Order.code == "QQ77QQ")).one()
        assert (again.id, again.status) == (order_id, "confirmed")
        assert contacts.find(session, "+6281299990003") is not None


def test_a_row_written_by_insert_now_is_seen_by_the_next_cached_look_up(seeded):
    from smsbot.crm.models import Review
    from smsbot.crm.reviews import cached_shop_ratings
    from smsbot.orders.models import Order, SubOrder
    from smsbot.store.fast_insert import insert_now

    with Session(seeded) as session:
        shop = session.exec(select(Shop).where(Shop.code == "RDG1")).one()
        shop_id = shop.id
        before = cached_shop_ratings(session, {shop.id}).get(shop.id)  # now cached
        order = insert_now(session, Order(code="QQ88QQ", buyer_phone="+6281299990004",
                                          created_at=to_db(NOW)))
        sub = insert_now(session, SubOrder(order_id=order.id, shop_id=shop.id, status="done",
                                           created_at=to_db(NOW), updated_at=to_db(NOW)))
        insert_now(session, Review(order_id=order.id, suborder_id=sub.id, shop_id=shop.id,
                                   buyer_phone="+6281299990004", stars=1, created_at=to_db(NOW)))
        after = cached_shop_ratings(session, {shop.id}).get(shop.id)
        assert after is not None and after != before  # no flush happened: the cache was told
        session.rollback()
    with Session(seeded) as session:  # and a rolled-back row is never served from the cache
        assert cached_shop_ratings(session, {shop_id}).get(shop_id) == before


def test_a_product_written_by_insert_now_is_found_by_the_next_search(conversation, seeded):
    from smsbot.search import live as search_index
    from smsbot.search.words import parse_query
    from smsbot.store.fast_insert import insert_now

    with Session(seeded) as session:
        assert not search_index.load(session).search(parse_query("zebrakue"))[0]
        shop = session.exec(select(Shop).where(Shop.code == "GLM1")).one()
        insert_now(session, Product(code="DM01", code_key="DM01", shop_id=shop.id,
                                    name="Kue Zebrakue", category="kue", price_idr=30000, stock=4))
        index = search_index.load(session)  # the catalog version went up with the INSERT
        assert [index.codes[p] for p in index.search(parse_query("zebrakue"))[0]] == ["DM01"]
