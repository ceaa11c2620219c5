"""Which SMS may go out twice: replies and notices at least once, broadcasts at most once.

A send whose outcome is unknown (the modem took the PDU but its `+CMGS` answer never came,
or the daemon was killed inside the modem call) is sent again when it is a reply (a lost
answer to a buyer is worse than a double one) and marked `unknown`, never resent, when it is a
broadcast (a lost promo is cheap, a doubled one annoys). A `+CMS ERROR` is the network's
refusal: nothing went, so a broadcast is retried like anything else.

Each scenario runs on Gammu's dummy driver (faults from smsbot.modem.transport.faulty) and on
its real AT driver against the modem emulator (faults.json; what the modem accepted is
DIR/sent.jsonl).
"""

import json
import threading
from datetime import timedelta

import gammu
import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from smsbot.broadcasts import runs as broadcasts
from smsbot.cli import main
from smsbot.clock import parse_iso
from smsbot.messages import outbox
from smsbot.messages.limits import Limits
from smsbot.messages.models import OutboxMessage
from smsbot.messages.send_settings import Settings
from smsbot.modem.daemon import Daemon
from smsbot.modem.dummy import write_config
from smsbot.modem.emulator import (
    config as emulator_config,
    inbox as emulator_inbox,
    state as emulator_state,
)
from smsbot.modem.transport.faulty import Fault, FaultPlan, FaultyGammuTransport
from smsbot.modem.transport.gammu_modem import GammuTransport
from smsbot.sim.chat import SimulatedClock
from smsbot.sms.context import Reply
from smsbot.testing import Conversation

from ..broadcasts.test_broadcasts import opt_in, schedule
from ..gammu_log import messages

BUYER = "081300000001"
FAN = "081300000101"  # opted in to promos
START = "2026-11-28T09:00"


class Crash(BaseException):
    """Stands for kill -9 at this line."""


class Modem(FaultyGammuTransport):
    """The real transport on either driver. `crash_after_send`: the process dies inside the
    modem call, after the modem took the SMS. `abort_after`: a watchdog aborts a send that
    hangs (the emulator's lost answer would otherwise keep Gammu waiting ~100 s)."""

    crash_after_send = False
    abort_after: float | None = None

    def send(self, to, text, reference=0):
        timer = None
        if self.abort_after is not None:
            timer = threading.Timer(self.abort_after, self._sm().Abort)
            timer.start()
        try:
            result = super().send(to, text, reference)
        finally:
            if timer is not None:
                timer.cancel()
        if self.crash_after_send:
            raise Crash()
        return result


class Rig:
    """One modem on one driver, its faults, and every SMS it really sent."""

    def __init__(self, driver, tmp_path, engine):
        self.driver, self.engine = driver, engine
        self.plan = FaultPlan()
        self.clock = SimulatedClock()
        self.clock.set(parse_iso(START))
        self.monotonic = 1000.0
        self._logged: list[str] = []
        if driver == "dummy":
            self.dir = tmp_path / "m"
            self.config = write_config(self.dir)
        else:
            self.dir = tmp_path / "emu"
            self.config = emulator_config.init_dir(self.dir)
        self.modem = self._modem()
        self.daemon = self._daemon()

    def _modem(self):
        modem = Modem(self.config, self.plan, name="modem")
        if self.driver == "at":
            modem.abort_after = 1.5
        return modem

    def _daemon(self):
        return Daemon(self.engine, self.modem, clock=self.clock.now,
                      monotonic=lambda: self.monotonic, timer_interval=0,
                      settings=Settings(), limits=Limits.off())

    # -- the outside world ------------------------------------------------------------
    def receive_from(self, sender, text):
        if self.driver == "dummy":
            phone = GammuTransport(self.config, name="phone").open()
            phone.inject(sender, text)
            phone.close()
        else:
            emulator_inbox.deliver_text(self.dir, sender, text)

    def lose_next_answer(self):
        """The modem takes the next SMS, but its answer never reaches Gammu."""
        if self.driver == "dummy":
            self.plan.fail("SendSMS", gammu.ERR_TIMEOUT, after=True)
        else:
            emulator_state.update_faults(self.dir, {"answer_lost": "hang"})

    def refuse_next_send(self, cms: int):
        """The network refuses the next SMS with `+CMS ERROR: <cms>` (Gammu: ERR_UNKNOWN)."""
        if self.driver == "dummy":
            self.plan.fail("SendSMS", gammu.ERR_UNKNOWN)
        else:
            emulator_state.update_faults(self.dir, {"fail_next_sends": [cms]})

    def sent_to(self) -> list[str]:
        """Recipients of every SMS the modem accepted, in order."""
        if self.driver == "dummy":  # Gammu empties its log at each Init: collected per step
            return list(self._logged)
        path = self.dir / emulator_state.SENT_FILE
        lines = path.read_text().splitlines() if path.exists() else []
        return [json.loads(line)["to"] for line in lines]

    # -- time and the daemon ------------------------------------------------------------
    def step(self):
        try:
            return self.daemon.step(force_timers=True)
        finally:
            if self.driver == "dummy":
                log = self.dir / "gammu.log"
                if log.exists():
                    self._logged += [to for to, _text in messages(log)]
                    log.write_text("")

    def later(self, minutes=15, steps=3):
        for _ in range(steps):
            self.monotonic += 100  # past any reconnect backoff
            self.clock.set(self.clock.now() + timedelta(minutes=minutes))
            self.step()

    def restart(self):
        """A new daemon process on the same database and modem."""
        self.modem.close()
        self.modem = self._modem()
        self.daemon = self._daemon()

    def rows(self, kind):
        with Session(self.engine) as session:
            return [(m.status, m.to) for m in session.exec(
                select(OutboxMessage).where(OutboxMessage.kind == kind)
                .order_by(OutboxMessage.id)).all()]


@pytest.fixture(params=["dummy", "at"])
def rig(request, tmp_path, seeded):
    rig = Rig(request.param, tmp_path, seeded)
    yield rig
    rig.modem.close()


def promo(rig):
    opt_in(rig.engine, FAN)
    return schedule(rig.engine, "Promo rendang", START)


def test_a_reply_whose_answer_was_lost_is_sent_again(rig):
    rig.receive_from(BUYER, "CARI galamai")
    rig.lose_next_answer()
    rig.step()
    assert rig.sent_to() == ["+6281300000001"]  # it went out, but the daemon cannot know
    assert rig.rows("reply") == [("queued", "+6281300000001")]
    rig.later()
    assert rig.sent_to() == ["+6281300000001"] * 2  # at least once: twice here
    assert rig.rows("reply") == [("sent", "+6281300000001")]


def test_a_broadcast_whose_answer_was_lost_is_sent_once_and_marked_unknown(rig, db_url):
    item = promo(rig)
    rig.lose_next_answer()
    rig.step()
    rig.later()
    assert rig.sent_to() == ["+6281300000101"]  # at most once: never again
    assert rig.rows("broadcast") == [("unknown", "+6281300000101")]
    status = CliRunner().invoke(main, ["--db", db_url, "broadcast", "status", str(item.id)])
    assert "1/1 queued 0 sending 0 sent 0 unknown 1 failed 0" in status.output


def test_a_broadcast_refused_by_the_network_is_retried(rig):
    promo(rig)
    rig.refuse_next_send(38)  # network out of order: certainly not sent
    rig.step()
    assert rig.sent_to() == []
    assert rig.rows("broadcast") == [("queued", "+6281300000101")]
    rig.later()
    assert rig.sent_to() == ["+6281300000101"]
    assert rig.rows("broadcast") == [("sent", "+6281300000101")]


def test_a_broadcast_interrupted_by_a_crash_is_unknown_after_restart(rig):
    promo(rig)
    rig.modem.crash_after_send = True
    with pytest.raises(Crash):
        rig.step()
    assert rig.rows("broadcast") == [("sending", "+6281300000101")]
    rig.restart()
    rig.step()
    rig.later()
    assert rig.sent_to() == ["+6281300000101"]
    assert rig.rows("broadcast") == [("unknown", "+6281300000101")]


def test_a_reply_interrupted_by_a_crash_is_sent_again_after_restart(rig):
    rig.receive_from(BUYER, "CARI galamai")
    rig.modem.crash_after_send = True
    with pytest.raises(Crash):
        rig.step()
    rig.restart()
    rig.step()
    assert rig.sent_to() == ["+6281300000001"] * 2
    assert rig.rows("reply") == [("sent", "+6281300000001")]


@pytest.mark.parametrize("error, maybe_sent", [
    ("ERR_TIMEOUT", True),  # no answer: the PDU may have gone
    ("ERR_ABORTED", True),  # a watchdog cut a hung call short
    ("ERR_DEVICEWRITEERROR", True),  # the link broke mid-call
    ("ERR_DEVICEREADERROR", True),
    ("ERR_UNKNOWN", False),  # +CMS ERROR: 38, 42, 21, 500 ...: refused
    ("ERR_NETWORK_ERROR", False),  # CMS 331, 332
    ("ERR_FULL", False),  # CMS 322
    ("ERR_NOTCONNECTED", False),  # the modem was never reached
    ("ERR_INVALIDDATA", False),
])
def test_which_send_errors_mean_maybe_sent(tmp_path, error, maybe_sent):
    plan = FaultPlan().fail("SendSMS", getattr(gammu, error))
    modem = FaultyGammuTransport(write_config(tmp_path / "m"), plan, name="modem").open()
    with pytest.raises(Exception) as raised:
        modem.send("+6281300000001", "halo")
    modem.close()
    assert raised.value.maybe_sent is maybe_sent


def test_a_refused_second_part_after_the_first_went_is_maybe_sent(tmp_path):
    plan = FaultPlan()
    plan.scripted["SendSMS"] = [None, Fault(gammu.ERR_UNKNOWN)]  # part 1 goes, part 2 refused
    modem = FaultyGammuTransport(write_config(tmp_path / "m"), plan, name="modem").open()
    with pytest.raises(Exception) as raised:
        modem.send("+6281300000001", "panjang " * 30)
    modem.close()
    assert raised.value.maybe_sent is True


@pytest.mark.backends
def test_a_stale_send_of_a_dead_daemon_requeues_the_reply_but_not_the_broadcast(seeded):
    """Rows another daemon left `sending` over STALE_SENDING ago: its process died for good."""
    conversation = Conversation(seeded, start=START)
    opt_in(seeded, FAN)
    now = conversation.clock.now()
    with Session(seeded) as session:
        for reply in (Reply("+6281300000001", "jawaban"), Reply("+6281300000101", "promo",
                                                                "broadcast")):
            then = now - outbox.STALE_SENDING - timedelta(minutes=1)
            row = outbox.enqueue(session, reply, then, modem="other")
            row.status, row.attempts, row.sending_at = "sending", 1, then
        session.commit()
    sent = conversation.flush()
    assert [(s.to, s.text) for s in sent] == [("081300000001", "jawaban")]
    with Session(seeded) as session:
        rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(m.kind, m.status) for m in rows] == [("reply", "sent"), ("broadcast", "unknown")]
    assert conversation.advance(hours=1) == []  # unknown is never queued again


def test_the_dashboard_shows_an_unknown_broadcast_as_done_not_queued(web_app, seeded):
    from ..web.test_web_dash import ADMIN, ADMIN_E164, client

    opt_in(seeded, FAN, "081300000102")
    item = schedule(seeded, "Promo rendang", START)
    with Session(seeded) as session:
        broadcasts.expand_due(session, parse_iso(START))
        session.commit()
        first = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).first()
        outbox.mark_unknown(session, first, "send failed: no answer")
    page = client(web_app, seeded, ADMIN, ADMIN_E164).get("/dasbor/admin/siaran").text
    assert f"#{item.id}" in page
    assert '<progress max="2" value="1">' in page and "tak pasti 1" in page
