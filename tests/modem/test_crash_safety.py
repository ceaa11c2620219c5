"""A crash at any line loses nothing and answers nothing twice.

A crash is simulated by an exception the daemon does not catch (like `kill -9`, it stops the
process mid-step); the restart is a new Daemon and a new modem connection on the same
database and the same modem (the dummy driver's folder; the two crash windows also on the AT
driver with the emulator).
"""

import pytest
from sqlmodel import Session, select

from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem.daemon import Daemon
from smsbot.modem.dummy import inbox_files, write_config
from smsbot.modem.transport import TransportError
from smsbot.modem.transport.gammu_modem import GammuTransport

from ..gammu_log import messages

pytestmark = pytest.mark.backends


class Crash(BaseException):
    """Stands for the process dying at this line."""


class CrashingModem(GammuTransport):
    def __init__(self, config, crash_on: str, failures: int = 1, error=Crash):
        super().__init__(config, name="modem")
        self.crash_on, self.failures, self.error = crash_on, failures, error

    def _maybe_fail(self, where):
        if where == self.crash_on and self.failures:
            self.failures -= 1
            raise self.error("simulated") if self.error is TransportError else self.error()

    def delete(self, sms):
        self._maybe_fail("delete")
        super().delete(sms)

    def send(self, to, text, reference=0):
        self._maybe_fail("send-before")
        result = super().send(to, text, reference)
        self._maybe_fail("send-after")
        return result


@pytest.fixture
def dummy(tmp_path):
    config = write_config(tmp_path / "m")
    GammuTransport(config, name="phone").open().inject("081300000001", "CARI galamai")
    return config


def restart(engine, config):
    """The daemon after a restart, until idle. On the dummy, the log is cut by Gammu at
    each Init, so read it before the next restart."""
    transport = GammuTransport(config, name="modem").open()
    Daemon(engine, transport).run(until_idle=True)
    transport.close()


def rows(engine):
    with Session(engine) as session:
        return (session.exec(select(InboundMessage)).all(), session.exec(select(OutboxMessage)).all())


def test_crash_between_commit_and_delete(seeded, modem):
    modem.inject("081300000001", "CARI galamai")
    with pytest.raises(Crash):
        Daemon(seeded, CrashingModem(modem.config(), "delete").open()).step()
    inbound, outbox = rows(seeded)
    assert [m.status for m in inbound] == ["pending"] and outbox == []
    assert modem.inbox_count() == 1  # still on the modem
    restart(seeded, modem.config())
    inbound, outbox = rows(seeded)
    assert len(inbound) == 1 and inbound[0].status == "processed"
    assert [m.status for m in outbox] == ["sent"]
    assert modem.inbox_count() == 0
    assert [to for to, _ in modem.sent()] == ["+6281300000001"]


def test_a_delete_that_keeps_failing_never_answers_twice(seeded, dummy, tmp_path):
    transport = CrashingModem(dummy, "delete", failures=3, error=TransportError).open()
    daemon = Daemon(seeded, transport)
    for _ in range(5):
        daemon.step()
    inbound, outbox = rows(seeded)
    assert len(inbound) == 1 and len(outbox) == 1
    assert inbox_files(tmp_path / "m") == []
    assert len(messages(tmp_path / "m" / "gammu.log")) == 1


def test_crash_between_queue_and_send(seeded, modem):
    modem.inject("081300000001", "CARI galamai")
    with pytest.raises(Crash):
        Daemon(seeded, CrashingModem(modem.config(), "send-before").open()).step()
    inbound, outbox = rows(seeded)
    assert inbound[0].status == "processed"
    assert [m.status for m in outbox] == ["sending"]  # recorded before the modem call
    assert modem.sent() == []
    restart(seeded, modem.config())
    _, outbox = rows(seeded)
    assert [m.status for m in outbox] == ["sent"] and outbox[0].attempts == 2
    assert [to for to, _ in modem.sent()] == ["+6281300000001"]


def test_crash_while_answering_leaves_the_sms_pending(seeded, dummy, tmp_path, monkeypatch):
    from smsbot.messages import inbox as ingest

    real = ingest.outbox.enqueue
    monkeypatch.setattr(ingest.outbox, "enqueue", lambda *a, **k: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        Daemon(seeded, GammuTransport(dummy, name="modem").open()).step()
    inbound, outbox = rows(seeded)
    assert [m.status for m in inbound] == ["pending"] and outbox == []
    monkeypatch.setattr(ingest.outbox, "enqueue", real)
    restart(seeded, dummy)
    inbound, outbox = rows(seeded)
    assert [m.status for m in inbound] == ["processed"] and [m.status for m in outbox] == ["sent"]
    assert len(messages(tmp_path / "m" / "gammu.log")) == 1


def test_send_failures_retry_then_fail_without_blocking_others(seeded, tmp_path):
    from datetime import timedelta

    from smsbot.clock import utcnow
    from smsbot.messages.outbox import enqueue
    from smsbot.sim.chat import SimulatedClock
    from smsbot.sms.context import Reply

    config = write_config(tmp_path / "m")

    class OneBadNumber(GammuTransport):
        def send(self, to, text, reference=0):
            if to == "+6281399999999":
                raise TransportError("CMS 331 no network service")
            return super().send(to, text, reference)

    clock = SimulatedClock()
    clock.set(utcnow())
    with Session(seeded) as session:
        enqueue(session, Reply("+6281399999999", "to a bad number"), clock.now())
        enqueue(session, Reply("+6281300000001", "to a good number"), clock.now())
        session.commit()
    daemon = Daemon(seeded, OneBadNumber(config, name="modem").open(), clock=clock.now)
    daemon.step()
    for _ in range(3):
        clock.set(clock.now() + timedelta(minutes=15))
        daemon.step()
    _, outbox = rows(seeded)
    status = {m.to: (m.status, m.attempts, m.error) for m in outbox}
    assert status["+6281300000001"][0] == "sent"
    assert status["+6281399999999"] == ("failed", 3, "CMS 331 no network service")
