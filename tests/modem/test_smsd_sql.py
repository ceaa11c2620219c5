"""smsbot behind a gammu-smsd SQL database (the smsd transport), without a phone: what smsd
would do to its tables is done by FakeSmsd. A crash is an exception the daemon does not
catch, raised at the line named (as in test_crash_safety); the restart is a new Daemon and a
new transport on the same two databases."""

import pytest
from sqlmodel import Session, select

from smsbot.clock import utcnow
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.messages.outbox import enqueue
from smsbot.modem.daemon import Daemon
from smsbot.modem.transport import TransportError
from smsbot.modem.transport.smsd_sql import SmsdSqlTransport
from smsbot.sms.context import Reply

from . import smsd_db

pytestmark = pytest.mark.backends

BUYER = "+6281300000001"


class Crash(BaseException):
    """Stands for the process dying at this line."""


@pytest.fixture(scope="module")
def smsd_url():
    url, drop = smsd_db.create()
    yield url
    drop()


@pytest.fixture
def smsd(smsd_url):
    fake = smsd_db.FakeSmsd(smsd_url)
    fake.empty()
    yield fake
    fake.close()


class CrashingGateway(SmsdSqlTransport):
    def __init__(self, url, engine, crash_on):
        super().__init__(url, engine)
        self.crash_on = crash_on

    def delete(self, sms):
        if self.crash_on == "delete":
            raise Crash()
        super().delete(sms)

    def send(self, to, text, reference=0):
        if self.crash_on == "send-before":
            raise Crash()
        result = super().send(to, text, reference)
        if self.crash_on == "send-after":
            raise Crash()
        return result


def run(engine, smsd, **kwargs):
    transport = SmsdSqlTransport(smsd.url, engine, **kwargs).open()
    Daemon(engine, transport).run(until_idle=True)
    transport.close()


def rows(engine):
    with Session(engine) as session:
        return (session.exec(select(InboundMessage)).all(),
                session.exec(select(OutboxMessage)).all())


def test_an_sms_in_smsd_inbox_is_answered_through_smsd_outbox(seeded, smsd):
    SmsdSqlTransport(smsd.url, seeded).open().close()  # first start: the inbox was empty
    smsd.receive(BUYER, "CARI galamai")
    run(seeded, smsd)
    inbound, outbox = rows(seeded)
    assert [(m.sender, m.text, m.status) for m in inbound] == [(BUYER, "CARI galamai", "processed")]
    [queued] = smsd.outbox()
    assert (queued.DestinationNumber, queued.TextDecoded) == (BUYER, outbox[0].text)
    assert "galamai" in queued.TextDecoded.lower()
    assert queued.CreatorID == f"smsbot#{outbox[0].id}" and queued.Priority == 30
    assert not queued.MultiPart and queued.SenderID is None
    assert [m.status for m in outbox] == ["sent"] and outbox[0].modem_ref == str(queued.ID)
    with smsd.engine.connect() as c:  # Kalkun's flag is Kalkun's
        assert c.exec_driver_sql('SELECT "Processed" FROM inbox').scalar() is False
    run(seeded, smsd)  # a restart answers nothing again
    assert len(smsd.outbox()) == 1 and len(rows(seeded)[0]) == 1


def test_the_inbox_before_the_first_start_is_not_answered(seeded, smsd):
    smsd.receive(BUYER, "CARI galamai")  # answered by the office, long ago
    run(seeded, smsd)
    smsd.receive("+6281300000002", "CARI rendang")
    run(seeded, smsd)
    inbound, _ = rows(seeded)
    assert [m.sender for m in inbound] == ["+6281300000002"]
    assert [r.DestinationNumber for r in smsd.outbox()] == ["+6281300000002"]


def test_long_sms_in_and_out(seeded, smsd):
    SmsdSqlTransport(smsd.url, seeded).open().close()
    long_in = "CARI galamai " + "tolong " * 40
    smsd.receive(BUYER, long_in, parts=2)  # smsd: two rows, the whole text on the first
    long_out = "Pesanan besar: " + "rendang telur 250g, " * 12
    with Session(seeded) as session:
        enqueue(session, Reply(BUYER, long_out), utcnow())
        session.commit()
    run(seeded, smsd)
    inbound, _ = rows(seeded)
    assert [(m.text, m.parts) for m in inbound] == [(long_in, 2)]
    long_row = next(r for r in smsd.outbox() if r.MultiPart)
    parts = [long_row] + sorted((p for p in smsd.multipart() if p.ID == long_row.ID),
                                key=lambda p: p.SequencePosition)
    assert [getattr(p, "SequencePosition", 1) for p in parts] == [1, 2, 3][:len(parts)]
    assert "".join(p.TextDecoded for p in parts) == long_out
    assert all(p.UDH.startswith("050003") and p.UDH.endswith(f"{n:02X}")
               for n, p in enumerate(parts, start=1))  # Kalkun lists part 1 by UDH LIKE '%1'


def test_what_smsd_did_comes_back_to_the_outbox_rows(seeded, smsd):
    SmsdSqlTransport(smsd.url, seeded).open().close()
    with Session(seeded) as session:
        for n in (1, 2, 3):
            enqueue(session, Reply(f"+62813000000{n:02d}", f"pesan {n}"), utcnow())
        session.commit()
    transport = SmsdSqlTransport(smsd.url, seeded, delivery_reports=True).open()
    daemon = Daemon(seeded, transport)
    daemon.step()
    smsd.send_all()
    first, second, third = (r.ID for r in smsd.sentitems())
    smsd.report(first, "SendingError")
    smsd.report(second, "DeliveryOK")
    daemon.step()
    transport.close()
    _, outbox = rows(seeded)
    state = {m.to[-2:]: (m.status, m.delivery) for m in outbox}
    assert state == {"01": ("failed", None), "02": ("sent", "delivered"), "03": ("sent", None)}
    assert next(m.error for m in outbox if m.to.endswith("01")) == "gammu-smsd: SendingError"
    smsd.report(third, "DeliveryFailed")  # seen after a restart too
    run(seeded, smsd, delivery_reports=True)
    assert {m.to[-2:]: m.delivery for m in rows(seeded)[1]}["03"] == "failed"


def test_a_broadcast_waits_in_smsd_through_quiet_hours_and_yields_to_replies(seeded, smsd):
    from datetime import time

    with Session(seeded) as session:
        promo = enqueue(session, Reply(BUYER, "Promo rendang", kind="broadcast"), utcnow())
        reply = enqueue(session, Reply("+6281300000002", "Balasan"), utcnow())
        session.commit()
        promo_id, reply_id = promo.id, reply.id
    transport = SmsdSqlTransport(smsd.url, seeded, quiet_hours=(time(21), time(7))).open()
    transport.send(BUYER, "Promo rendang", reference=promo_id)
    transport.send("+6281300000002", "Balasan", reference=reply_id)
    transport.close()
    queued = {r.CreatorID: (r.Priority, r.SendAfter, r.SendBefore) for r in smsd.outbox()}
    assert queued == {f"smsbot#{promo_id}": (10, time(7), time(21)),
                      f"smsbot#{reply_id}": (30, time(0), time(23, 59, 59))}


def test_a_database_that_is_not_smsd_is_refused(seeded, db_url):
    with pytest.raises(TransportError, match="no gammu-smsd tables"):
        SmsdSqlTransport(db_url, seeded).open()


# -- crashes (kill -9 stands at each line) -----------------------------------------------

def test_crash_between_storing_and_moving_the_cursor(seeded, smsd):
    SmsdSqlTransport(smsd.url, seeded).open().close()
    smsd.receive(BUYER, "CARI galamai")
    with pytest.raises(Crash):
        Daemon(seeded, CrashingGateway(smsd.url, seeded, "delete").open()).step()
    inbound, outbox = rows(seeded)
    assert [m.status for m in inbound] == ["pending"] and outbox == []
    run(seeded, smsd)  # reads the row again: the same dedupe key
    inbound, outbox = rows(seeded)
    assert [m.status for m in inbound] == ["processed"] and [m.status for m in outbox] == ["sent"]
    assert [r.DestinationNumber for r in smsd.outbox()] == [BUYER]


def test_crash_while_answering_leaves_the_sms_pending(seeded, smsd, monkeypatch):
    from smsbot.messages import inbox as ingest

    SmsdSqlTransport(smsd.url, seeded).open().close()
    smsd.receive(BUYER, "CARI galamai")
    real = ingest.outbox.enqueue
    monkeypatch.setattr(ingest.outbox, "enqueue", lambda *a, **k: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        Daemon(seeded, SmsdSqlTransport(smsd.url, seeded).open()).step()
    monkeypatch.setattr(ingest.outbox, "enqueue", real)
    run(seeded, smsd)
    inbound, outbox = rows(seeded)
    assert [m.status for m in inbound] == ["processed"] and [m.status for m in outbox] == ["sent"]
    assert len(smsd.outbox()) == 1


@pytest.mark.parametrize("line", ["send-before", "send-after"])
def test_crash_around_queueing_on_smsd_queues_once(seeded, smsd, line):
    SmsdSqlTransport(smsd.url, seeded).open().close()
    smsd.receive(BUYER, "CARI galamai")
    with pytest.raises(Crash):
        Daemon(seeded, CrashingGateway(smsd.url, seeded, line).open()).step()
    assert [m.status for m in rows(seeded)[1]] == ["sending"]
    if line == "send-after":
        smsd.send_all()  # smsd sent it before smsbot came back
    run(seeded, smsd)
    _, outbox = rows(seeded)
    assert [m.status for m in outbox] == ["sent"] and outbox[0].attempts == 2
    queued = smsd.outbox() + smsd.sentitems()
    assert [r.CreatorID for r in queued] == [f"smsbot#{outbox[0].id}"]
    assert outbox[0].modem_ref == str(queued[0].ID)



def test_run_takes_a_modem_or_an_smsd_database(engine, tmp_path):
    from click.testing import CliRunner

    from smsbot.cli import main

    gammurc = tmp_path / "gammurc"
    gammurc.write_text("[gammu]\n")
    for args in ([], ["--modem", str(gammurc), "--smsd", "postgresql://x/y"]):
        result = CliRunner().invoke(main, ["--db", str(engine.url), "run", *args])
        assert result.exit_code == 2 and "give --modem GAMMURC" in result.output


def test_run_on_a_database_without_smsd_tables_gives_up(engine, db_url):
    from click.testing import CliRunner

    from smsbot.cli import main

    result = CliRunner().invoke(main, ["--db", db_url, "run", "--smsd", db_url, "--until-idle",
                                       "--give-up-after", "1"])
    assert result.exit_code == 1 and "no gammu-smsd tables" in result.output
