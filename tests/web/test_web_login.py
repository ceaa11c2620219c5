"""Dashboard login: a one-time code by SMS through the outbox, expiry, single use, limits."""

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from smsbot.contacts.models import LoginCode
from smsbot.messages.models import OutboxMessage

ADMIN, ADMIN_E164 = "081200000001", "+6281200000001"
SELLER, SELLER_E164 = "081266104512", "+6281266104512"  # RDG1 Rendang Uni Emi
BUYER, BUYER_E164 = "081300000001", "+6281300000001"


# -- helpers, also used by the dashboard tests ------------------------------------------------
def csrf_of(web, path: str = "/masuk") -> str:
    html = web.get(path).text
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def codes_sent(engine, phone_e164: str) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.to == phone_e164)
                            .order_by(col(OutboxMessage.id))).all()
    return [m.group(1) for row in rows if (m := re.search(r"dasbor UMKM: (\d{6})", row.text))]


def ask_code(web, phone: str, next_path: str = ""):
    return web.post("/masuk", data={"csrf": csrf_of(web), "phone": phone, "next": next_path})


def enter_code(web, code: str):
    return web.post("/masuk/kode", data={"csrf": csrf_of(web, "/masuk/kode"), "code": code})


def log_in(web, engine, phone: str, e164: str):
    """Log `phone` in through the real flow; returns the final redirect response."""
    assert ask_code(web, phone).status_code == 303
    response = enter_code(web, codes_sent(engine, e164)[-1])
    assert response.status_code == 303, response.text
    return response


# -- the flow -----------------------------------------------------------------------------
@pytest.mark.backends
def test_login_code_goes_to_the_outbox_and_logs_the_admin_in(web, seeded):
    assert web.get("/masuk").status_code == 200
    response = ask_code(web, "0812-0000-0001", "/dasbor/keluhan")
    assert response.status_code == 303 and response.headers["location"] == "/masuk/kode"
    with Session(seeded) as session:
        sms = session.exec(select(OutboxMessage).where(OutboxMessage.to == ADMIN_E164)).one()
        stored = session.exec(select(LoginCode).where(LoginCode.phone == ADMIN_E164)).one()
    assert sms.kind == "reply" and sms.priority == 30 and sms.status == "queued"
    assert sms.encoding == "gsm7" and sms.segments == 1 and len(sms.text) <= 160
    code = re.search(r"(\d{6})", sms.text).group(1)
    assert code not in stored.code_hash  # stored hashed
    before = web.cookies.get("smsbot")
    response = enter_code(web, code)
    assert response.status_code == 303 and response.headers["location"] == "/dasbor/keluhan"
    assert web.cookies.get("smsbot") != before
    assert "Keluar" in web.get("/dasbor").text


def test_unknown_numbers_and_buyers_get_the_same_answer_and_no_sms(web, seeded):
    pages = []
    for phone in ("081399999999", BUYER):
        response = ask_code(web, phone)
        assert response.status_code == 303 and response.headers["location"] == "/masuk/kode"
        pages.append(web.get("/masuk/kode").text.replace(phone, "NOMOR"))
    assert pages[0] == pages[1] and "Jika nomor NOMOR terdaftar" in pages[0]
    with Session(seeded) as session:
        assert session.exec(select(OutboxMessage)).all() == []
    response = enter_code(web, "123456")
    assert response.status_code == 400 and "Kode salah" in response.text
    assert web.get("/dasbor").status_code == 303


def test_a_bad_number_is_refused_politely(web):
    response = ask_code(web, "halo")
    assert response.status_code == 400 and "Nomor HP tidak valid" in response.text


def test_code_expires_after_five_minutes(web, seeded, web_clock):
    ask_code(web, ADMIN)
    web_clock.now += timedelta(minutes=5, seconds=1)
    response = enter_code(web, codes_sent(seeded, ADMIN_E164)[-1])
    assert response.status_code == 400
    assert web.get("/dasbor").status_code == 303


def test_code_within_five_minutes_works(web, seeded, web_clock):
    ask_code(web, SELLER)
    web_clock.now += timedelta(minutes=4, seconds=59)
    assert enter_code(web, codes_sent(seeded, SELLER_E164)[-1]).status_code == 303
    assert web.get("/dasbor").status_code == 200


def test_code_is_single_use(web, web_app, seeded):
    from starlette.testclient import TestClient

    ask_code(web, ADMIN)
    code = codes_sent(seeded, ADMIN_E164)[-1]
    with TestClient(web_app, follow_redirects=False) as copy:  # the same session, replayed
        copy.cookies.set("smsbot", web.cookies.get("smsbot"))
        csrf = csrf_of(copy, "/masuk/kode")
        assert enter_code(web, code).status_code == 303
        # the pre-login session the copy shares ended with the login (a new token)
        response = copy.post("/masuk/kode", data={"csrf": csrf, "code": code})
        assert response.status_code in (303, 403)
        assert copy.get("/dasbor").status_code == 303
    with TestClient(web_app, follow_redirects=False) as other:
        ask_code(other, ADMIN)
        response = enter_code(other, code)
        assert response.status_code == 400 and "Kode salah" in response.text


@pytest.mark.backends
def test_five_wrong_tries_kill_the_code(web, seeded):
    ask_code(web, ADMIN)
    code = codes_sent(seeded, ADMIN_E164)[-1]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert enter_code(web, wrong).status_code == 400
    assert enter_code(web, code).status_code == 400  # right, but too late
    ask_code(web, ADMIN)
    assert enter_code(web, codes_sent(seeded, ADMIN_E164)[-1]).status_code == 303


def stranger(web_app, address="203.0.113.9"):
    from starlette.testclient import TestClient
    return TestClient(web_app, follow_redirects=False, client=(address, 40000))


def test_asking_again_keeps_the_live_code_and_sends_no_second_sms(web, seeded):
    ask_code(web, ADMIN)
    ask_code(web, ADMIN)
    assert len(codes_sent(seeded, ADMIN_E164)) == 1
    assert enter_code(web, codes_sent(seeded, ADMIN_E164)[0]).status_code == 303


@pytest.mark.backends
def test_three_codes_per_phone_and_client_per_quarter_hour(web, seeded, web_clock):
    for _ in range(3):
        assert ask_code(web, ADMIN).status_code == 303
    response = ask_code(web, ADMIN)
    assert response.status_code == 429 and "Terlalu sering" in response.text
    # unknown numbers are limited the same way: the limit tells nothing
    for _ in range(3):
        ask_code(web, "081399999998")
    assert ask_code(web, "081399999998").status_code == 429
    web_clock.now += timedelta(minutes=15, seconds=1)
    assert ask_code(web, ADMIN).status_code == 303
    assert len(codes_sent(seeded, ADMIN_E164)) == 2  # one per live period


def test_a_stranger_cannot_lock_the_admin_out_nor_replace_the_code(web, web_app, seeded, web_clock):
    with stranger(web_app) as attacker:
        for _ in range(4):
            ask_code(attacker, ADMIN)
        assert ask_code(attacker, ADMIN).status_code == 429
    assert len(codes_sent(seeded, ADMIN_E164)) == 1  # one SMS, not one per request
    response = ask_code(web, ADMIN)  # the admin's own request still works
    assert response.status_code == 303 and response.headers["location"] == "/masuk/kode"
    assert enter_code(web, codes_sent(seeded, ADMIN_E164)[-1]).status_code == 303
    assert web.get("/dasbor").status_code == 200


def test_codes_sent_to_one_phone_are_capped_per_hour(web_app, seeded, web_clock):
    for n in range(7):  # each from a new address, each after the last code expired
        with stranger(web_app, f"203.0.113.{n}") as attacker:
            ask_code(attacker, ADMIN)
        web_clock.now += timedelta(minutes=5, seconds=1)
    assert len(codes_sent(seeded, ADMIN_E164)) == 5


def test_one_client_address_cannot_try_many_numbers(web, seeded):
    for n in range(10):
        assert ask_code(web, f"0813999990{n:02d}").status_code == 303
    assert ask_code(web, ADMIN).status_code == 429
    assert codes_sent(seeded, ADMIN_E164) == []


def test_next_must_be_a_local_path(web, seeded):
    for bad in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        web.cookies.clear()
        ask_code(web, SELLER, bad)
        response = enter_code(web, codes_sent(seeded, SELLER_E164)[-1])
        assert response.headers["location"] == "/dasbor"


def test_login_and_logout_need_the_csrf_token(web, seeded):
    assert web.post("/masuk", data={"phone": ADMIN}).status_code == 403
    assert web.post("/masuk", data={"phone": ADMIN, "csrf": "forged"}).status_code == 403
    log_in(web, seeded, ADMIN, ADMIN_E164)
    assert web.post("/keluar", data={}).status_code == 403
    assert web.get("/dasbor").status_code == 200
    response = web.post("/keluar", data={"csrf": csrf_of(web, "/dasbor")})
    assert response.status_code == 303
    assert web.get("/dasbor").status_code == 303


def test_a_logged_in_user_skips_the_login_form(web, seeded):
    log_in(web, seeded, ADMIN, ADMIN_E164)
    response = web.get("/masuk?next=/dasbor/keluhan")
    assert response.status_code == 303 and response.headers["location"] == "/dasbor/keluhan"


def test_old_login_rows_are_cleared(web, seeded, web_clock):
    ask_code(web, ADMIN)
    web_clock.now += timedelta(days=1, minutes=1)
    ask_code(web, SELLER)
    with Session(seeded) as session:
        assert [row.phone for row in session.exec(select(LoginCode))] == [SELLER_E164]
