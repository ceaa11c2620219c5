"""End to end through the real libGammu dummy driver: `smsbot phone send` puts SMS into the
dummy modem, `smsbot run --until-idle` answers them, Gammu's own log shows the sends. The
installed script runs on the dummy driver and SQLite (the scripting contract); the AT driver
and PostgreSQL run the same commands in this process."""

import subprocess
import time

import pytest
from sqlmodel import Session, select

from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem.dummy import write_config
from smsbot.store import engine as db

from ..conftest import smsbot_here
from ..gammu_log import messages, sends

pytestmark = pytest.mark.backends

LONG = ("KELUHAN saya pesan rendang telur dua bungkus kemarin sore di pasar Ibuh tapi yang "
        "datang cuma satu bungkus dan kemasannya sudah sobek, mohon dibantu diganti atau uangnya "
        "dikembalikan ya, terima kasih banyak sebelumnya uni, salam dari Bukittinggi, "
        "semoga usahanya makin lancar dan laris manis. Nomor pesanan saya ada di struk, nanti saya kirim.")
assert 306 < len(LONG) <= 459  # three parts


def script(env, *args):
    done = subprocess.run(["smsbot", *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def here(env, *args):
    done = smsbot_here(env, *args)
    assert done.returncode == 0, done.stderr
    return done


def test_single_and_multipart_sms_are_answered_once(modem, cli_env, backend):
    smsbot = script if (modem.driver, backend) == ("dummy", "sqlite") else here
    gammurc = str(modem.gammurc)
    here(cli_env, "db", "seed")
    here(cli_env, "phone", "send", "--modem", gammurc, "--from", "081300000001", "CARI galamai")
    three = smsbot(cli_env, "phone", "send", "--modem", gammurc, "--from", "+6281300000002", LONG)
    assert "in 3 part(s)" in three.stdout
    here(cli_env, "phone", "send", "--modem", gammurc, "--from", "TELKOMSEL", "Promo 10GB!")
    assert modem.inbox_count() == 5

    smsbot(cli_env, "run", "--modem", str(modem.config()), "--until-idle")

    assert modem.inbox_count() == 0
    with Session(db.make_engine(cli_env["SMSBOT_DB"])) as session:
        inbound = session.exec(select(InboundMessage).order_by(InboundMessage.id)).all()
        assert [(m.sender, m.parts, m.status) for m in inbound] == [
            ("081300000001", 1, "processed"), ("+6281300000002", 3, "processed"),
            ("TELKOMSEL", 1, "ignored")]
        assert inbound[1].text == LONG  # reassembled from its 3 parts
        sent = session.exec(select(OutboxMessage)).all()
        # the KELUHAN names no clear shop: its ticket also goes to the admin
        assert sorted(m.to for m in sent) == ["+6281200000001", "+6281300000001", "+6281300000002"]
        assert all(m.status == "sent" and m.modem_ref for m in sent)
    log = modem.sent()
    assert [to for to, _ in log] == ["+6281300000001", "+6281300000002", "+6281200000001"]
    assert log[0][1].startswith("1)GL10 Kalamai 250g 24rb")

    # run again: nothing new, nothing answered twice
    here(cli_env, "run", "--modem", str(modem.config()), "--until-idle")
    assert modem.sent() == log


def test_long_replies_go_out_as_concatenated_parts_with_their_own_reference(tmp_path, seeded):
    from smsbot.messages.outbox import enqueue
    from smsbot.modem.daemon import Daemon
    from smsbot.modem.transport.gammu_modem import GammuTransport
    from smsbot.sms.context import Reply

    gammurc = write_config(tmp_path / "m")
    with Session(seeded) as session:
        from smsbot.clock import utcnow
        for n in range(2):
            enqueue(session, Reply("+6281300000001", f"pesan panjang {n} " + "x" * 200), utcnow())
        session.commit()
    transport = GammuTransport(gammurc).open()
    Daemon(seeded, transport).run(until_idle=True)
    transport.close()
    parts = sends(tmp_path / "m" / "gammu.log")
    assert len(parts) == 4
    references = {p["udh"].split()[3] for p in parts}
    assert len(references) == 2  # two long messages never share a reference
    assert [text for _, text in messages(tmp_path / "m" / "gammu.log")] == [
        "pesan panjang 0 " + "x" * 200, "pesan panjang 1 " + "x" * 200]


# --- what the AT driver reads, in the daemon's own process (both drivers) -------------------

def deliver(sender, text, *, ref16=None, when=None):
    """SMS-DELIVER PDUs (hex with SMSC) as the network sends them: 8-bit concatenation
    reference from the emulator's encoder, or a 16-bit one (ref16) from Gammu's."""
    import datetime as dt

    import gammu

    from smsbot.modem.emulator import pdu

    if ref16 is None:
        return pdu.deliver_pdus(sender, text, when, ref8=0x5A)
    parts = gammu.EncodeSMS({"Class": -1, "Entries": [
        {"ID": "ConcatenatedTextLong16bit", "Buffer": text}]})
    out = []
    for part in parts:
        udh = bytearray(part["UDH"]["Text"])
        udh[3:5] = ref16.to_bytes(2, "big")
        part.update(UDH=dict(part["UDH"], Text=bytes(udh)), Type="Deliver", Number=sender,
                    SMSC={"Number": pdu.DEFAULT_SMSC}, Folder=1, State="UnRead",
                    DateTime=when or dt.datetime(2026, 11, 30, 8, 0, 0))
        out.append(gammu.EncodePDU(part, Layout="Deliver").hex())
    return out


LONG16 = ("PESAN RT01 2 tolong antar ke rumah di Jalan Sudirman nomor 12 dekat masjid raya, "
          "pagar hijau, kalau tidak ada orang titip ke warung sebelah saja ya uni, terima kasih "
          "banyak, nanti saya bayar tunai waktu barang sampai di rumah.")


def run_daemon(engine, gammurc, *, limit=60.0, until=None, **transport):
    """The daemon in this process until idle (or until `until()` holds), short polls."""
    from smsbot.modem.daemon import Daemon
    from smsbot.modem.transport.gammu_modem import GammuTransport

    transport = GammuTransport(gammurc, name="modem", **transport)
    daemon = Daemon(engine, transport, poll_interval=0.05, backoff_base=0.05)
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            daemon.step(force_timers=True)
            if (until() if until else daemon.idle()):
                return daemon
            time.sleep(0.05)
        raise AssertionError(f"the daemon never got idle in {limit} s")
    finally:
        transport.close()


def test_multipart_with_8_and_16_bit_references_out_of_order_and_ucs2(modem, seeded):
    modem.inject_pdus(list(reversed(deliver("+6281300000011", LONG, ))))  # 8-bit, last first
    parts16 = deliver("+6281300000012", LONG16, ref16=0xBEEF)
    assert len(parts16) == 2
    modem.inject_pdus([parts16[1], parts16[0]])  # 16-bit, out of order
    modem.inject("+6281300000013", "CARI rendang \u2713 \U0001F64F")  # UCS-2
    run_daemon(seeded, modem.config())
    with Session(seeded) as session:
        inbound = {m.sender: m for m in session.exec(select(InboundMessage))}
    assert {s: (m.parts, m.status) for s, m in inbound.items()} == {
        "+6281300000011": (3, "processed"), "+6281300000012": (2, "processed"),
        "+6281300000013": (1, "processed")}
    assert inbound["+6281300000011"].text == LONG
    assert inbound["+6281300000012"].text == LONG16
    assert inbound["+6281300000013"].text == "CARI rendang \u2713 \U0001F64F"
    assert sorted(to for to, _ in modem.sent()) == [
        "+6281200000001", "+6281300000011", "+6281300000012", "+6281300000013"]
    assert modem.inbox_count() == 0


def test_a_part_that_never_comes_is_answered_after_the_multipart_wait(modem, seeded):
    first, _second, third = deliver("+6281300000021", LONG)
    modem.inject_pdus([first, third])
    daemon = run_daemon(seeded, modem.config(), multipart_wait=1.5,
                        until=lambda: len(modem.sent()) == 2)
    with Session(seeded) as session:
        inbound = session.exec(select(InboundMessage)).all()
    assert [(m.sender, m.parts) for m in inbound] == [("+6281300000021", 2)]
    assert inbound[0].text == LONG[:153] + LONG[306:]  # the parts that came, in order
    assert modem.inbox_count() == 0
    # the answer, and the KELUHAN's ticket to the admin
    assert sorted(to for to, _ in modem.sent()) == ["+6281200000001", "+6281300000021"]
    assert daemon.idle()
