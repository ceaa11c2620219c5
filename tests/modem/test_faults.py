"""Modem faults: reconnect with backoff, never exit, retry sends, never answer twice.

Faults are real Gammu exceptions raised by smsbot.modem.transport.faulty around the real dummy
driver. The daemon's monotonic clock is simulated, so backoff costs no real time.
"""

from datetime import timedelta

import gammu
from sqlmodel import Session, select

from smsbot.clock import utcnow
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem.daemon import Daemon
from smsbot.modem.dummy import inbox_files, write_config
from smsbot.modem.transport.faulty import FaultPlan, FaultyGammuTransport
from smsbot.modem.transport.gammu_modem import GammuTransport
from smsbot.sim.chat import SimulatedClock

from ..gammu_log import messages


class FakeMonotonic:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def sim_clock():
    clock = SimulatedClock()
    clock.set(utcnow())
    return clock


def later(clock, minutes):
    clock.set(clock.now() + timedelta(minutes=minutes))


def phone(config, *texts, sender="081300000001"):
    transport = GammuTransport(config, name="phone").open()
    for n, text in enumerate(texts):
        transport.inject(sender if isinstance(sender, str) else sender[n], text)
    transport.close()


def rows(engine):
    with Session(engine) as session:
        return (session.exec(select(InboundMessage)).all(),
                session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def test_modem_missing_at_start_is_retried_with_backoff(seeded, tmp_path):
    config = write_config(tmp_path / "m")
    phone(config, "CARI galamai")
    plan = FaultPlan().fail("Init", gammu.ERR_DEVICEOPENERROR, times=3)
    clock = FakeMonotonic()
    daemon = Daemon(seeded, FaultyGammuTransport(config, plan, name="modem"), monotonic=clock)
    waits = []
    for _ in range(3):
        daemon.step()
        assert not daemon.modem_ready()
        waits.append(daemon._retry_at - clock.t)
        daemon.step()  # still waiting: the modem is not touched
        clock.t = daemon._retry_at
    assert waits == [1.0, 2.0, 4.0]
    assert rows(seeded) == ([], [])
    daemon.step()
    inbound, outbox = rows(seeded)
    assert [m.status for m in inbound] == ["processed"] and [m.status for m in outbox] == ["sent"]
    assert plan.injected["Init ERR_DEVICEOPENERROR"] == 3


def test_a_timeout_while_sending_reconnects_and_is_not_charged_to_the_sms(seeded, tmp_path):
    config = write_config(tmp_path / "m")
    phone(config, "CARI galamai")
    plan = FaultPlan().fail("SendSMS", gammu.ERR_TIMEOUT, times=2)
    clock, now = FakeMonotonic(), sim_clock()
    daemon = Daemon(seeded, FaultyGammuTransport(config, plan, name="modem"), monotonic=clock,
                    clock=now.now)
    daemon.step()
    _, outbox = rows(seeded)
    assert outbox[0].status == "queued" and outbox[0].attempts == 0
    assert "ERR_TIMEOUT" in outbox[0].error or "timeout" in outbox[0].error.lower()
    for _ in range(2):
        clock.t += 100
        later(now, 1)
        daemon.step()
    _, outbox = rows(seeded)
    assert outbox[0].status == "sent" and outbox[0].attempts == 1
    assert [to for to, _ in messages(tmp_path / "m" / "gammu.log")] == ["+6281300000001"]


def test_network_errors_fail_the_sms_after_three_tries_without_blocking_others(seeded, tmp_path):
    config = write_config(tmp_path / "m")
    phone(config, "CARI galamai", "BANTUAN", sender=["081300000001", "081300000002"])
    plan = FaultPlan().fail("SendSMS", gammu.ERR_NETWORK_ERROR, times=3)
    clock, now = FakeMonotonic(), sim_clock()
    daemon = Daemon(seeded, FaultyGammuTransport(config, plan, name="modem"), monotonic=clock,
                    clock=now.now)
    for _ in range(8):
        daemon.step()
        clock.t += 100
        later(now, 15)
    _, outbox = rows(seeded)
    status = {m.to: (m.status, m.attempts) for m in outbox}
    assert status["+6281300000001"] == ("failed", 3)
    assert "send to +6281300000001 failed" in outbox[0].error
    assert status["+6281300000002"] == ("sent", 1)


def test_random_faults_lose_nothing_and_answer_nothing_twice(seeded, tmp_path):
    config = write_config(tmp_path / "m")
    senders = [f"0813000001{n:02d}" for n in range(30)]
    phone(config, *[f"CARI {w}" for w in ["galamai", "rendang", "sanjai"] * 10], sender=senders)
    # every call but GetNextSMS (called once per stored SMS, so a read would never finish)
    plan = FaultPlan.random(rate=0.2, seed=7, calls=("Init", "GetSMSStatus", "DeleteSMS", "SendSMS"))
    clock, now = FakeMonotonic(), sim_clock()
    daemon = Daemon(seeded, FaultyGammuTransport(config, plan, name="modem"), monotonic=clock,
                    clock=now.now)
    sent = []
    daemon.on_sent = lambda row: sent.append(row.to)
    for _ in range(300):
        daemon.step()
        if daemon.idle():
            break
        clock.t += 100
        later(now, 5)
    inbound, outbox = rows(seeded)
    assert sum(plan.injected.values()) >= 10, plan.injected
    assert len(inbound) == 30 and all(m.status == "processed" for m in inbound)
    assert len(outbox) == 30 and len({m.inbound_id for m in outbox}) == 30
    by_status = {m.status for m in outbox}
    assert by_status <= {"sent", "failed"}
    assert len(sent) == len(set(sent)) == sum(m.status == "sent" for m in outbox)
    assert inbox_files(tmp_path / "m") == []




def test_a_lost_acknowledgement_sends_again_rather_than_lose_the_sms(seeded, tmp_path):
    """The modem took the SMS but its answer never came (a timeout after the send): the
    daemon cannot know, so it sends again. At least once, never lost; the same window as a
    kill inside SendSMS (see scripts/chaos.py)."""
    config = write_config(tmp_path / "m")
    phone(config, "CARI galamai")
    plan = FaultPlan().fail("SendSMS", gammu.ERR_TIMEOUT, after=True)
    clock, now = FakeMonotonic(), sim_clock()
    daemon = Daemon(seeded, FaultyGammuTransport(config, plan, name="modem"), monotonic=clock,
                    clock=now.now)
    daemon.step()
    first = messages(tmp_path / "m" / "gammu.log")  # read before the reconnect empties it
    clock.t += 100
    later(now, 1)
    daemon.step()
    second = messages(tmp_path / "m" / "gammu.log")
    assert [to for to, _ in first + second] == ["+6281300000001"] * 2
    _, outbox = rows(seeded)
    assert [(m.status, m.attempts) for m in outbox] == [("sent", 1)]
