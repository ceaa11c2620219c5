"""Modem faults on libGammu's real AT driver, as real modems fail: the emulator
(smsbot.modem.emulator, modem_config/emulator.md) fails as DIR/faults.json says, and the daemon
runs on it in this process. For every fault: the daemon keeps going, every SMS is stored once
and answered once, one bad number never blocks the others, a full SIM is drained, and a hung
or unplugged modem is recovered by reopening it (the watchdog cuts libGammu's long waits).

The outbox's clock is simulated, 10 s a step (a failed send's retry, 30 s later, comes after
the next rows); reconnect backoff and the watchdog run in real time, kept short.
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from smsbot.clock import utcnow
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem.daemon import Daemon
from smsbot.modem.emulator import state as st
from smsbot.modem.transport import TransportError
from smsbot.modem.transport.gammu_modem import GammuTransport
from smsbot.sim.chat import SimulatedClock

from .conftest import Modem

BUYERS = [f"+62813000010{n:02d}" for n in range(6)]


@pytest.fixture
def at(tmp_path):
    return Modem("at", tmp_path / "emu")


class Run:
    """The daemon on the emulator, stepped until a condition holds."""

    def __init__(self, engine, modem, *, timeout=3.0, **transport):
        self.modem = modem
        self.clock = SimulatedClock()
        self.clock.set(utcnow())
        self.transport = GammuTransport(modem.config(), name="modem", call_timeout=timeout,
                                        **transport)
        self.daemon = Daemon(engine, self.transport, clock=self.clock.now, poll_interval=0.05,
                             backoff_base=0.05, backoff_max=0.5)
        self.engine = engine

    def until(self, done, limit=60.0):
        deadline = time.monotonic() + limit
        try:
            while time.monotonic() < deadline:
                # never raises: the daemon keeps going; a busy step is followed by another, as
                # in Daemon.run
                if not self.daemon.step(force_timers=True).busy and done():
                    return self
                self.clock.set(self.clock.now() + timedelta(seconds=10))
                time.sleep(0.05)
        finally:
            self.transport.close()
        raise AssertionError(f"not done within {limit} s: {self.rows()}")

    def idle(self, limit=60.0):
        return self.until(self.daemon.idle, limit)

    def rows(self):
        with Session(self.engine) as session:
            return (session.exec(select(InboundMessage).order_by(InboundMessage.id)).all(),
                    session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def ask(modem, buyers=BUYERS):
    for buyer in buyers:
        modem.inject(buyer, "CARI galamai")


def assert_each_stored_and_answered_once(run, buyers=BUYERS):
    inbound, outbox = run.rows()
    assert sorted(m.sender for m in inbound) == sorted(buyers)  # stored once each
    assert {m.status for m in inbound} == {"processed"}
    assert sorted(m.to for m in outbox) == sorted(buyers) and {m.status for m in outbox} == {"sent"}
    assert Counter(to for to, _ in run.modem.sent()) == Counter(buyers)  # went out once each
    assert run.modem.inbox_count() == 0


@pytest.mark.parametrize("codes", [[38, 42, 21, 500]])
def test_cms_errors_on_sends_are_retried_and_nothing_is_lost(seeded, at, codes):
    ask(at)
    at.faults(fail_next_sends=codes)
    run = Run(seeded, at).idle()
    assert_each_stored_and_answered_once(run)
    assert "fail_next_sends" not in st.load_faults(at.dir)  # all four fired
    _, outbox = run.rows()
    assert sum(m.attempts for m in outbox) == len(BUYERS) + len(codes)


def test_one_bad_number_never_blocks_the_others(seeded, at):
    bad = "+6281399999999"
    at.faults(number_errors={bad: 21})
    ask(at, [bad, *BUYERS[:3]])
    run = Run(seeded, at)
    run.until(lambda: len(at.sent()) == 3)  # the others went out while the bad one retries
    run = Run(seeded, at).idle()
    _, outbox = run.rows()
    status = {m.to: (m.status, m.attempts) for m in outbox}
    assert status.pop(bad) == ("failed", 3)
    assert set(status.values()) == {("sent", 1)}
    assert sorted(to for to, _ in at.sent()) == sorted(BUYERS[:3])


def test_read_errors_keep_the_daemon_going_until_the_modem_reads_again(seeded, at):
    ask(at)
    at.faults(read_error=500)
    run = Run(seeded, at)
    for _ in range(3):
        run.daemon.step()
    assert run.rows() == ([], [])  # nothing read, nothing lost: still on the SIM
    at.faults(read_error=None)
    assert_each_stored_and_answered_once(run.idle())


def test_a_full_sim_is_drained_as_the_bot_deletes(seeded, at):
    with st.transaction(at.dir) as s:
        s["sim_capacity"], s["me_capacity"] = 2, 0
    ask(at)
    assert at.inbox_count() == 2 and len(st.load(at.dir)["pending"]) == 4  # at the network
    run = Run(seeded, at)
    run.until(lambda: not st.load(at.dir)["pending"] and run.daemon.idle())
    assert_each_stored_and_answered_once(run)


@pytest.mark.parametrize("where", ["AT+CMGL", "PDU"])
def test_a_hung_modem_is_aborted_by_the_watchdog_and_reopened(seeded, at, where):
    """libGammu alone waits ~20 s on a hung command and ~100 s on a send."""
    ask(at, BUYERS[:2])
    at.faults(hang=where)
    started = time.monotonic()
    run = Run(seeded, at, timeout=1.0, send_timeout=1.0).idle()
    assert time.monotonic() - started < 30  # libGammu alone: still stuck after 6 minutes
    assert "hang" not in st.load_faults(at.dir)  # it fired
    assert_each_stored_and_answered_once(run, BUYERS[:2])


@pytest.mark.parametrize("where", ["AT+CMGD", "AT+CMGS"])
def test_an_unplugged_modem_is_reopened(seeded, at, where):
    ask(at, BUYERS[:2])
    at.faults(unplug=where)
    run = Run(seeded, at, timeout=1.0).idle()
    assert "unplugged" in (at.dir / st.LOG_FILE).read_text()
    assert_each_stored_and_answered_once(run, BUYERS[:2])


def test_noise_unsolicited_lines_and_slow_answers(seeded, at):
    ask(at, BUYERS[:3])
    at.faults(noise=["RING", "^RSSI:18", "^BOOT:27710117,0,0,0,75", '+CMTI: "SM",1'],
              unsolicited=['+CMTI: "SM",7', "RING"], delay=0.05)
    run = Run(seeded, at).idle()
    assert_each_stored_and_answered_once(run, BUYERS[:3])


def test_slow_answers_within_the_watchdog_are_not_aborted(seeded, at):
    ask(at, BUYERS[:1])
    at.faults(delay=0.2)  # each AT answer; Init is some twenty of them
    run = Run(seeded, at, timeout=3.0).idle()
    assert_each_stored_and_answered_once(run, BUYERS[:1])
    assert (at.dir / st.LOG_FILE).read_text().count("] start ") == 1  # never reopened


def test_registration_lost_then_back(seeded, at):
    ask(at, BUYERS[:2])
    with st.transaction(at.dir) as s:
        s["registered"] = False  # sends get +CMS ERROR: 331 (no network service)
    run = Run(seeded, at)
    run.until(lambda: any(m.error for m in run.rows()[1]))
    assert at.sent() == []
    with st.transaction(at.dir) as s:
        s["registered"] = True
    assert_each_stored_and_answered_once(Run(seeded, at).idle(), BUYERS[:2])


def test_a_status_report_after_each_send_is_recorded_never_answered(seeded, at):
    ask(at, BUYERS[:3])
    at.faults(status_report_after=0.3)
    run = Run(seeded, at, delivery_reports=True)
    run.until(lambda: sum(m.sender in BUYERS and m.status == "ignored"
                          for m in run.rows()[0]) == 3 and run.daemon.idle())
    inbound, outbox = run.rows()
    assert sorted(m.sender for m in inbound if m.status == "processed") == BUYERS[:3]
    assert len(inbound) == 6  # three questions, three reports
    assert Counter(to for to, _ in at.sent()) == Counter(BUYERS[:3])  # no answer to a report
    assert {m.status for m in outbox} == {"sent"}
    assert at.inbox_count() == 0


def test_the_watchdog_turns_a_hang_into_a_prompt_link_error(at):
    """Without it the read waits for libGammu's own timeout; with it, the call is aborted,
    reported as a link failure (reopen, charge no SMS) and the next call reopens the modem."""
    at.inject(BUYERS[0], "CARI galamai")
    transport = GammuTransport(at.config(), name="modem", call_timeout=1.0).open()
    at.faults(hang="*")
    started = time.monotonic()
    with pytest.raises(TransportError) as failed:
        transport.receive()
    assert time.monotonic() - started < 10
    assert failed.value.link and "watchdog" in str(failed.value)
    assert [sms.text for sms in transport.receive()] == ["CARI galamai"]  # a fresh StateMachine
    transport.close()


def test_a_send_whose_answer_never_comes_is_an_unknown_outcome_not_a_failure(at):
    """The PDU went out (sent.jsonl) but +CMGS never came: the send raises within the send
    timeout as a link error (not charged to the SMS, not a certain failure)."""
    transport = GammuTransport(at.config(), name="modem", call_timeout=1.0,
                               send_timeout=1.5).open()
    at.faults(answer_lost="hang")
    started = time.monotonic()
    with pytest.raises(TransportError) as failed:
        transport.send(BUYERS[0], "Pesanan diterima")
    assert time.monotonic() - started < 10
    assert failed.value.link and not failed.value.permanent
    assert at.sent() == [(BUYERS[0], "Pesanan diterima")]
    assert transport.send(BUYERS[1], "berikutnya")  # reopened
    transport.close()


def test_a_reply_whose_answer_was_lost_goes_out_again_never_lost(seeded, at):
    """The network took the reply but +CMGS never came: the daemon cannot know, so the reply
    is sent again (at least once). Stored once, one row, two copies at the network."""
    ask(at, BUYERS[:1])
    at.faults(answer_lost="hang")
    run = Run(seeded, at, timeout=1.0, send_timeout=1.0).idle()
    inbound, outbox = run.rows()
    assert [m.status for m in inbound] == ["processed"]
    assert [m.status for m in outbox] == ["sent"]
    assert [to for to, _ in at.sent()] == BUYERS[:1] * 2
