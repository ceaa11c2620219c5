"""End to end through the real libGammu dummy driver: `smsbot phone send` puts SMS into the
dummy modem, `smsbot run --until-idle` answers them, Gammu's own log shows the sends."""

import subprocess

import pytest
from sqlmodel import Session, select

from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem.dummy import inbox_files, write_config
from smsbot.store import engine as db

from ..gammu_log import messages, sends

pytestmark = pytest.mark.backends

LONG = ("KELUHAN saya pesan rendang telur dua bungkus kemarin sore di pasar Ibuh tapi yang "
        "datang cuma satu bungkus dan kemasannya sudah sobek, mohon dibantu diganti atau uangnya "
        "dikembalikan ya, terima kasih banyak sebelumnya uni, salam dari Bukittinggi, "
        "semoga usahanya makin lancar dan laris manis. Nomor pesanan saya ada di struk, nanti saya kirim.")
assert 306 < len(LONG) <= 459  # three parts


def smsbot(env, *args):
    done = subprocess.run(["smsbot", *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_single_and_multipart_sms_are_answered_once(tmp_path, cli_env):
    gammurc = str(write_config(tmp_path / "modem"))
    smsbot(cli_env, "db", "seed")
    smsbot(cli_env, "phone", "send", "--modem", gammurc, "--from", "081300000001", "CARI galamai")
    three = smsbot(cli_env, "phone", "send", "--modem", gammurc, "--from", "+6281300000002", LONG)
    assert "in 3 part(s)" in three.stdout
    smsbot(cli_env, "phone", "send", "--modem", gammurc, "--from", "TELKOMSEL", "Promo 10GB!")
    assert len(inbox_files(tmp_path / "modem")) == 5

    smsbot(cli_env, "run", "--modem", gammurc, "--until-idle")

    assert inbox_files(tmp_path / "modem") == []
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
    log = messages(tmp_path / "modem" / "gammu.log")
    assert [to for to, _ in log] == ["+6281300000001", "+6281300000002", "+6281200000001"]
    assert log[0][1].startswith("1)GL10 Kalamai 250g 24rb")

    # run again (Gammu starts a new log): nothing new, nothing answered twice
    smsbot(cli_env, "run", "--modem", gammurc, "--until-idle")
    assert "Recipient number" not in (tmp_path / "modem" / "gammu.log").read_text()


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
