"""End to end with a real gammu-smsd (Debian's, SQL backend on the PostgreSQL test cluster,
Gammu's dummy phone): SMS put into the phone come out of smsd's inbox, smsbot answers into
smsd's outbox, smsd sends, and Gammu's own log shows each message sent once."""

import re
import shutil
import signal
import subprocess
import time
from collections import Counter

import pytest
from sqlalchemy import select
from sqlmodel import Session

from smsbot.clock import utcnow
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.messages.outbox import enqueue
from smsbot.modem import inject
from smsbot.modem.daemon import Daemon
from smsbot.modem.dummy import inbox_files, write_config
from smsbot.modem.transport import smsd_schema as schema
from smsbot.modem.transport.smsd_sql import SmsdSqlTransport
from smsbot.sms.context import Reply

from ..gammu_log import messages
from . import smsd_db

pytestmark = pytest.mark.backends

_PREFIX = re.compile(r"^\w{3} \d{4}/\d\d/\d\d \d\d:\d\d:\d\d gammu-smsd\[\d+\]: (gammu: )?", re.M)


@pytest.fixture
def smsd(tmp_path):
    binary = shutil.which("gammu-smsd")
    if binary is None:
        pytest.skip("gammu-smsd is not installed (scripts/test installs Debian's)")
    url, drop = smsd_db.create()
    phone = write_config(tmp_path, name="phone.gammurc", log="phone.log")
    config = tmp_path / "smsdrc"
    config.write_text(smsd_db.sql_smsdrc(
        url, smsd_db.DUMMY_PHONE.format(modem=tmp_path / "modem"), tmp_path / "smsd.log",
        phoneid="toko"))
    fake = smsd_db.FakeSmsd(url)  # only to read its tables
    fake.phone = phone
    fake.log = tmp_path / "smsd.log"
    fake.start = lambda: subprocess.Popen([binary, "-c", str(config)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield fake
    fake.close()
    drop()


def test_gammu_smsd_receives_smsbot_answers_smsd_sends_each_once(seeded, smsd):
    transport = SmsdSqlTransport(smsd.url, seeded, phone="toko").open()
    daemon = Daemon(seeded, transport, poll_interval=0.1)
    long_in = "CARI rendang " + "mohon dibalas ya " * 12
    inject.deliver_text(smsd.phone, "081300000001", "CARI galamai")
    inject.deliver_text(smsd.phone, "081300000002", long_in)  # two parts on the phone
    long_out = "Info toko: " + "rendang telur 250g Rp25.000, " * 8
    with Session(seeded) as session:
        enqueue(session, Reply("+6281300000003", long_out), utcnow())
        session.commit()
    process = smsd.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            daemon.step()
            if _all_sent(seeded, smsd):
                break
            time.sleep(0.1)
        daemon.step()  # sentitems' word back onto the rows
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        transport.close()
    assert process.returncode == 0, smsd.log.read_text()[-2000:]
    with Session(seeded) as session:
        inbound = session.exec(select(InboundMessage)).scalars().all()
        outbox = session.exec(select(OutboxMessage)).scalars().all()
    assert sorted((m.sender_e164, m.text, m.parts, m.status) for m in inbound) == [
        ("+6281300000001", "CARI galamai", 1, "processed"),
        ("+6281300000002", long_in, 2, "processed")]
    assert [m.status for m in outbox] == ["sent"] * 3
    assert inbox_files(smsd.phone.parent) == []
    clean = smsd.log.with_name("smsd-gammu.log")
    clean.write_text(_PREFIX.sub("", smsd.log.read_text(errors="replace")))
    assert Counter(messages(clean)) == Counter((m.to, m.text) for m in outbox)
    assert {r.Status for r in smsd.sentitems()} == {"SendingOKNoReport"}


def _all_sent(engine, smsd) -> bool:
    with Session(engine) as session:
        outbox = session.exec(select(OutboxMessage)).scalars().all()
        inbound = session.exec(select(InboundMessage)).scalars().all()
    if len(inbound) < 2 or len(outbox) < 3 or any(m.status != "sent" for m in outbox):
        return False
    with smsd.engine.connect() as c:
        waiting = c.execute(select(schema.outbox.c.ID)).all()
    return not waiting and len({r.ID for r in smsd.sentitems()}) == len(outbox)
