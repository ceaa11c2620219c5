"""The transport loop: the only code that touches a modem.

One step: receive -> record (commit) -> delete from the device -> answer pending SMS ->
run due timers -> send due outbox rows, most urgent first. `run(until_idle=True)` stops
when the device inbox is empty, nothing is pending and nothing is due in the outbox.

Faults: a modem error that asks for it (`TransportError.reconnect`: timeouts, a vanished
port, CMS errors) closes the modem; it is opened again after a backoff (1 s, 2 s, 4 s ...
up to `backoff_max`), also when it cannot be opened at start. Meanwhile stored SMS are
still answered and timers still run; nothing is sent and no queued row is charged a try.
The daemon never exits on its own unless `max_connect_failures` is set (tests).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from smsbot.broadcasts.send_policy import SendPolicy
from smsbot.clock import utcnow
from smsbot.messages import inbox as ingest, outbox
from smsbot.messages.limits import Limits
from smsbot.messages.send_settings import Settings
from smsbot.modem.throttle import Throttle
from smsbot.modem.transport.base import Transport, TransportError
from smsbot.sms import grammar as grammar_module, timers
from smsbot.sms.grammar import Grammar

log = logging.getLogger(__name__)


class ModemUnavailable(Exception):
    """The modem could not be reached `max_connect_failures` times in a row."""


@dataclass
class StepResult:
    received: int = 0
    duplicates: int = 0
    answered: int = 0
    sent: int = 0
    failed: int = 0

    @property
    def busy(self) -> bool:
        return bool(self.received or self.answered or self.sent or self.failed)


def install_stop_handlers(stop_event: threading.Event, in_hand: str = "message") -> None:
    """SIGTERM/SIGINT set `stop_event`: the loop finishes the `in_hand` it holds, then stops.
    Only the main thread may install signal handlers; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum, _frame):
        log.info("signal %s: finishing the %s in hand, then stopping", signum, in_hand)
        stop_event.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


@dataclass
class Daemon:
    engine: Engine
    transport: Transport
    grammar: Grammar = field(default_factory=grammar_module.load)
    clock: Callable[[], datetime] = utcnow
    poll_interval: float = 2.0
    timer_interval: float = 10.0  # seconds of `clock`: how late others' writes are seen
    record_batch: int = 200  # incoming SMS stored per transaction
    send_batch: int = 200  # sends per step (at most receive_interval long) before the inbox
    # While a send backlog remains, look at the modem inbox at most this often: on a real
    # modem a status query is a serial round trip, on the dummy it scans the folder.
    receive_interval: float = 5.0
    answer: bool = True  # answer stored SMS and run timers (off for extra modems in a pool)
    on_sent: Callable[[object], None] | None = None
    stop_event: threading.Event = field(default_factory=threading.Event)
    settings: Settings = field(default_factory=Settings.from_env)
    limits: Limits = field(default_factory=Limits.from_env)
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    max_connect_failures: int = 0  # 0: retry forever (production)
    monotonic: Callable[[], float] = time.monotonic
    _requeued_at: datetime | None = field(default=None, init=False)
    _recovered: bool = field(default=False, init=False)
    _last_receive: float = field(default=float("-inf"), init=False)
    _backlog: bool = field(default=False, init=False)
    _failures: int = field(default=0, init=False)  # modem failures in a row
    _retry_at: float = field(default=0.0, init=False)
    _inbox_read: bool = field(default=False, init=False)  # the last step read the inbox

    def __post_init__(self) -> None:
        self.policy = SendPolicy(self.settings)
        self.throttle = Throttle(self.settings.send_rate)

    # -- modem health -----------------------------------------------------------------
    def modem_ready(self) -> bool:
        return self.monotonic() >= self._retry_at

    def _modem_failed(self, what: str, exc: TransportError) -> None:
        log.error("modem %s: %s", self.transport.name, exc)
        if not exc.reconnect:
            return
        try:
            self.transport.close()
        except Exception:  # closing a broken modem may fail too
            log.debug("closing modem %s failed", self.transport.name, exc_info=True)
        self._failures += 1
        delay = min(self.backoff_max, self.backoff_base * 2 ** (self._failures - 1))
        self._retry_at = self.monotonic() + delay
        log.warning("modem %s: %s failed %d time(s) in a row; reopening in %.0f s",
                    self.transport.name, what, self._failures, delay)
        if self.max_connect_failures and self._failures >= self.max_connect_failures:
            raise ModemUnavailable(f"modem {self.transport.name}: {exc} "
                                   f"({self._failures} failures in a row)") from exc

    def _modem_ok(self) -> None:
        if self._failures:
            log.warning("modem %s is back after %d failure(s)", self.transport.name,
                        self._failures)
        self._failures = 0
        self._retry_at = 0.0

    def _admit(self, session: Session, row, now: datetime) -> bool:
        """A broadcast row waits for quiet hours to end and for room in the modem's minute,
        then passes the buyer's checks (opt-out, daily cap)."""
        return (self.policy.broadcasts_open(now) and self.throttle.has_room(now)
                and self.policy.admit(session, row, now))

    # -- one step -----------------------------------------------------------------------
    def recover(self) -> None:
        with Session(self.engine) as session:
            requeued, unknown = outbox.requeue_interrupted(session, [self.transport.name],
                                                           self.clock())
        if requeued:
            log.warning("%d outgoing SMS were interrupted by a crash; queued again", requeued)
        if unknown:
            log.warning("%d broadcast SMS were interrupted by a crash; maybe sent, so not sent "
                        "again (status unknown)", unknown)
        self._recovered = True

    def step(self, *, force_timers: bool = False) -> StepResult:
        if not self._recovered:
            self.recover()
        result = StepResult()
        if not self._backlog or time.monotonic() - self._last_receive >= self.receive_interval:
            self._last_receive = time.monotonic()
            self._receive(result)
        if self.answer:
            result.answered = ingest.process_pending(self.engine, self.clock(), self.grammar,
                                                      self.limits, stop=self.stop_event.is_set)
        if self.answer:  # costs no query until a timer can be due (smsbot.sms.timers)
            now = self.clock()
            every = timedelta(seconds=0 if force_timers else self.timer_interval)
            timers.run_due(self.engine, now, every)
            last = self._requeued_at
            if last is None or not last <= now < last + every:
                self._requeued_at = now
                with Session(self.engine) as session:  # sends stuck by a daemon that died for good
                    outbox.requeue_interrupted(session, [], now)
        self._send(result)
        return result

    def _receive(self, result: StepResult) -> None:
        self._inbox_read = False
        if not self.modem_ready():
            return
        try:
            incoming = self.transport.receive()
        except TransportError as exc:
            self._modem_failed("reading the inbox", exc)
            return
        self._modem_ok()
        self._inbox_read = True
        for start in range(0, len(incoming), self.record_batch):
            batch = incoming[start:start + self.record_batch]
            stored = ingest.record_many(self.engine, batch, self.clock(), modem=self.transport.name)
            result.duplicates += stored.count(None)
            result.received += len(stored) - stored.count(None)
            for sms in batch:
                try:
                    self.transport.delete(sms)  # only after the commit above
                except TransportError as exc:
                    log.error("delete failed; the dedupe key keeps the SMS from a second answer")
                    self._inbox_read = False
                    self._modem_failed("deleting an SMS", exc)
                    if not self.modem_ready():
                        return

    def _send(self, result: StepResult) -> None:
        """Send due rows, most urgent first. Each row is committed `sending` before its modem
        call and `sent` right after it (deferring `sent` to the next row's commit saved a
        commit per SMS, but tripled the double sends in the kill -9 chaos run).

        A row is ours only if its conditional claim matched (other modem threads and daemons
        read the same queue). Broadcast rows also wait for quiet hours and the throttle, and
        pass the buyer's checks (opt-out, daily cap) first. A modem fault ends the batch; a
        fault of the link does not charge the SMS a try. A failed send that may have gone
        out anyway (`maybe_sent`) is retried if it is a reply or notice and marked `unknown`
        if it is a broadcast (see OutboxMessage)."""
        if not self.modem_ready():
            return
        sent_rows = []
        started = time.monotonic()
        stopped_early = False
        modem = self.transport.name
        # One connection for the batch: the claims and `sent` marks are single prebuilt
        # UPDATEs committed on it directly; the Session (bound to the same connection, so
        # SQLite never sees two writers) reads the batch and runs the broadcast checks.
        with self.engine.connect() as connection, \
                Session(bind=connection, expire_on_commit=False) as session:
            now = self.clock()
            rows = outbox.due(session, now, self.send_batch, modem,
                              broadcasts=self.policy.broadcasts_open(now))
            session.commit()
            for row in rows:
                # A real modem sends a few SMS a minute: look at the inbox between them.
                if (self.stop_event.is_set() or not self.modem_ready()
                        or time.monotonic() - started >= self.receive_interval):
                    stopped_early = True
                    break
                now = self.clock()
                if not outbox.claim(connection, session, row, now, modem, admit=self._admit):
                    continue  # another sender's, or a broadcast left queued, skipped or deferred
                self.throttle.record(now)
                try:
                    reference = self.transport.send(row.to, row.text, reference=row.id)
                except TransportError as exc:
                    log.error("send #%s to %s failed: %s", row.id, row.to, exc)
                    if row.kind == "broadcast" and exc.maybe_sent:
                        outbox.mark_unknown(session, row, str(exc), commit=False)  # at most once
                    else:
                        outbox.mark_failed(session, row, str(exc), self.clock(),
                                           permanent=exc.permanent, charge=not exc.link,
                                           commit=False)
                    result.failed += 1
                    session.commit()
                    self._modem_failed("sending", exc)
                    continue
                self._modem_ok()
                # committed at once: a crash between the modem call and this commit is the
                # one window in which an SMS goes out twice, so it is kept as short as can be
                outbox.mark_sent(connection, row, reference, self.clock(), modem=modem)
                result.sent += 1
                sent_rows.append(row)
            session.commit()
        self._backlog = stopped_early or len(rows) == self.send_batch
        if self.on_sent:
            for row in sent_rows:
                self.on_sent(row)

    def idle(self) -> bool:
        """The modem inbox was read empty, nothing is pending, nothing is due, and no failed
        send waits for its retry (the outbox is drained: sent, or failed for good)."""
        if not self._inbox_read:
            return False
        with Session(self.engine) as session:
            now = self.clock()
            return (not ingest.pending_ids(self.engine, 1)
                    and outbox.due_count(session, now,
                                         broadcasts=self.policy.broadcasts_open(now)) == 0
                    and outbox.retrying_count(session) == 0)

    def run(self, *, until_idle: bool = False) -> None:
        """Loop until stopped (SIGTERM/SIGINT finish the message in hand, then return).
        Never returns on its own otherwise: modem faults reconnect with backoff, and an
        unexpected error (a locked database) is logged and the loop goes on."""
        install_stop_handlers(self.stop_event)
        log.info("smsbot running on modem %s", self.transport.name)
        busy = False
        errors = 0
        while not self.stop_event.is_set():
            try:
                # --until-idle runs the timers before it decides it is idle, not at every
                # step of a backlog (they still run every timer_interval).
                result = self.step(force_timers=until_idle and not busy)
                errors = 0
            except ModemUnavailable:
                raise
            except Exception:
                errors += 1
                delay = min(self.backoff_max, self.backoff_base * 2 ** (errors - 1))
                log.exception("step failed (%d in a row); going on in %.0f s", errors, delay)
                self.stop_event.wait(delay)
                continue
            busy = result.busy
            if result.busy:
                log.info("received %d, answered %d, sent %d, failed %d", result.received,
                         result.answered, result.sent, result.failed)
                continue
            if until_idle and self.idle():
                return
            wait = self.poll_interval
            if not self.modem_ready():
                wait = min(wait, max(0.0, self._retry_at - self.monotonic()))
            self.stop_event.wait(wait)

