"""A modem pool: one daemon driving several modems, one thread per Gammu StateMachine.

Each modem's thread receives, records and deletes its own SMS and sends from the shared
outbox (preferring replies to questions it received: same operator, cheaper). The first
modem's thread also answers stored SMS and runs the timers. Several pools (daemons, on one
or more machines) may share one PostgreSQL database: SMS are claimed by conditional updates;
outbox rows by the one claim every modem thread uses (`outbox.due` reads a batch without
locks, `outbox.claim` takes each row with a conditional UPDATE `queued -> sending` that only
one sender can match); timers run under named locks; so nothing is answered, sent or fired
twice. Give every modem a distinct name across daemons (the gammurc's name).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy.engine import Engine

from smsbot.clock import utcnow
from smsbot.messages.send_settings import Settings
from smsbot.modem.daemon import Daemon, install_stop_handlers
from smsbot.modem.transport.base import Transport
from smsbot.sms.grammar import Grammar, load

log = logging.getLogger(__name__)


@dataclass
class Pool:
    engine: Engine
    transports: list[Transport]
    grammar: Grammar = field(default_factory=load)
    clock: Callable[[], datetime] = utcnow
    poll_interval: float = 2.0
    settings: Settings = field(default_factory=Settings.from_env)
    max_connect_failures: int = 0  # 0: each modem retries forever
    stop_event: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        names = [t.name for t in self.transports]
        if len(set(names)) != len(names):
            raise ValueError(f"modem names must be distinct: {names}")
        self.daemons = [
            Daemon(self.engine, transport, grammar=self.grammar, clock=self.clock,
                   poll_interval=self.poll_interval, stop_event=self.stop_event,
                   settings=self.settings, max_connect_failures=self.max_connect_failures,
                   answer=(index == 0))
            for index, transport in enumerate(self.transports)
        ]

    def run(self, *, until_idle: bool = False) -> None:
        """Run every modem's loop until stopped (or, with until_idle, until all are idle)."""
        if len(self.daemons) == 1:
            self.daemons[0].run(until_idle=until_idle)
            return
        install_stop_handlers(self.stop_event, "messages")
        threads = [threading.Thread(target=self._run_one, args=(daemon, until_idle),
                                    name=f"modem-{daemon.transport.name}", daemon=True)
                   for daemon in self.daemons]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)

    def _run_one(self, daemon: Daemon, until_idle: bool) -> None:
        try:
            daemon.run(until_idle=until_idle)
            if until_idle and daemon.answer:
                # the answering thread may finish before the others have read their inboxes
                while not self.stop_event.is_set() and not self._others_done(daemon):
                    daemon.run(until_idle=True)
                    self.stop_event.wait(0.05)
        except Exception:
            log.exception("modem %s stopped", daemon.transport.name)
            raise

    def _others_done(self, me: Daemon) -> bool:
        return all(not t.is_alive() for t in threading.enumerate()
                   if t.name.startswith("modem-") and t.name != f"modem-{me.transport.name}")

