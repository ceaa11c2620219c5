"""The dashboard end to end in real headless Chromium: log in with the SMS code read from the
outbox, answer a complaint, accept an order by button. Screenshots in test-output/."""

from sqlmodel import Session, select

from smsbot.messages.models import OutboxMessage
from smsbot.orders.models import Order, SubOrder
from smsbot.testing import Conversation
from tests.browser import screenshot

from .test_web_login import codes_sent

ADMIN, ADMIN_E164 = "081200000001", "+6281200000001"
EMI, EMI_E164 = "081266104512", "+6281266104512"  # RDG1 Rendang Uni Emi
BUYER, BUYER_E164 = "081300000001", "+6281300000001"


def browser_login(page, url, engine, phone, e164, shot=""):
    page.goto(url + "/dasbor")
    assert "/masuk" in page.url  # not logged in: sent to the login page
    page.fill("#phone", phone)
    if shot:
        screenshot(page, shot)
    page.click("button:has-text('Kirim kode')")
    page.wait_for_url("**/masuk/kode")
    page.fill("#code", codes_sent(engine, e164)[-1])
    page.click("button:has-text('Masuk')")
    page.wait_for_url(url + "/dasbor")


def queued_to(engine, e164):
    with Session(engine) as session:
        return [m.text for m in session.exec(select(OutboxMessage).where(
            OutboxMessage.to == e164, OutboxMessage.status == "queued"))]


def test_admin_logs_in_with_the_sms_code_and_answers_a_complaint(live_server, page, seeded):
    Conversation(seeded).send(BUYER, "KELUHAN rendang RT01 basi, rasanya asam")
    browser_login(page, live_server.url, seeded, ADMIN, ADMIN_E164, shot="dash-login")
    assert page.is_visible("text=Dasbor admin")
    screenshot(page, "dash-admin")
    page.click("text=keluhan terbuka")
    page.click("table a >> nth=0")
    assert page.is_visible("text=rendang RT01 basi, rasanya asam")
    page.fill("#text", "Maaf bu, kami ganti besok")
    page.click("button:has-text('Kirim jawaban')")
    page.wait_for_selector(".flash >> text=terkirim")
    screenshot(page, "dash-complaint")
    assert any("dari Admin UMKM: Maaf bu, kami ganti besok" in text
               for text in queued_to(seeded, BUYER_E164))


def test_seller_accepts_an_order_by_button(live_server, page, seeded):
    talk = Conversation(seeded)
    talk.send(BUYER, "PESAN RT01 2")
    talk.send(BUYER, "YA")
    with Session(seeded) as session:
        code = session.exec(select(Order.code)).one()
    browser_login(page, live_server.url, seeded, EMI, EMI_E164)
    assert page.is_visible(f"text={code}")
    page.click("button:has-text('Terima')")
    page.wait_for_selector(f".flash >> text=Pesanan {code} diterima")
    screenshot(page, "dash-seller")
    with Session(seeded) as session:
        assert session.exec(select(SubOrder.status)).one() == "accepted"
    assert any(text.startswith(f"Rendang Uni Emi menerima pesanan {code}")
               for text in queued_to(seeded, BUYER_E164))
