"""A deadline on every call into libGammu.

libGammu waits long on a modem that stopped answering: ~20 s per AT command, ~100 s for the
`+CMGS` answer of a send, and a Huawei stick that hangs after hours never answers again until it
is reopened. `WatchedMachine` wraps a StateMachine; each call it passes on runs under a deadline
kept by one watcher thread. When the deadline passes the watcher calls `Abort()` (the one call
python-gammu allows from another thread), the stuck call returns, and the caller gets
`gammu.ERR_TIMEOUT` saying so, whatever libGammu raised on its way out (ERR_ABORTED,
ERR_DEVICEWRITEERROR ...). For a send that means "outcome unknown": the PDU may have gone out.

An aborted StateMachine cannot be used again (`aborted` turns True; every later call raises
ERR_TIMEOUT at once): the transport closes it and opens a fresh one.
"""

from __future__ import annotations

import threading
import time

import gammu

# Calls that never touch the device: no deadline, and allowed on an aborted machine.
_LOCAL = frozenset({"Abort", "ReadConfig", "SetConfig", "GetConfig", "SetIncomingCallback",
                    "SetDebugFile", "SetDebugLevel", "Terminate"})


class WatchedMachine:
    """Every attribute of `machine`; device calls time out after `timeout` seconds (or the
    per-call `timeouts[name]`). A timeout of None or 0 means no deadline."""

    def __init__(self, machine, timeout: float | None, timeouts: dict[str, float | None] | None = None):
        self._machine = machine
        self._timeout = timeout
        self._timeouts = timeouts or {}
        self._cond = threading.Condition()
        self._deadline: float | None = None
        self._wake_at: float | None = None  # when the watcher looks next (None: when woken)
        self._calling = ""
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.aborted = False  # the deadline passed once: this machine is dead

    def __getattr__(self, name: str):
        attr = getattr(self._machine, name)
        if not callable(attr) or name in _LOCAL:
            return attr
        seconds = self._timeouts.get(name, self._timeout)

        def call(*args, **kwargs):
            if self.aborted:
                raise self._timed_out(name, seconds)
            if not seconds:
                return attr(*args, **kwargs)
            self._arm(name, seconds)
            try:
                result = attr(*args, **kwargs)
            except gammu.GSMError as exc:
                if self.aborted:
                    raise self._timed_out(name, seconds) from exc
                raise
            finally:
                self._disarm()
            return result  # (aborted just after it returned: the next call reopens)

        self.__dict__[name] = call  # built once per name: __getattr__ is not asked again
        return call

    def stop_watching(self) -> None:
        """End the watcher thread (the transport calls this when it drops the machine)."""
        with self._cond:
            self._stopped = True
            self._cond.notify()

    # -- the watcher --------------------------------------------------------------------
    def _arm(self, name: str, seconds: float) -> None:
        with self._cond:
            self._deadline = time.monotonic() + seconds
            self._calling = name
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, daemon=True,
                                                name="gammu-watchdog")
                self._thread.start()
            # Wake the watcher only if it would look too late: calls in a row then cost no
            # thread switch (it wakes once per timeout, sees a later deadline, sleeps again).
            if self._wake_at is None or self._wake_at > self._deadline:
                self._cond.notify()

    def _disarm(self) -> None:
        with self._cond:
            self._deadline = None

    def _watch(self) -> None:
        with self._cond:
            while not self._stopped:
                if self._deadline is None:
                    self._wake_at = None
                    self._cond.wait()
                    continue
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._wake_at = self._deadline
                    self._cond.wait(remaining)
                    continue
                self._deadline = None
                self.aborted = True
                try:
                    self._machine.Abort()
                except Exception:  # an abort that fails leaves libGammu's own timeout
                    pass

    def _timed_out(self, name: str, seconds: float | None) -> gammu.GSMError:
        return gammu.ERR_TIMEOUT({
            "Text": f"no answer from the modem within {seconds or 0:g} s; call aborted by the "
                    "watchdog, the modem must be reopened",
            "Where": name, "Code": gammu.Errors["ERR_TIMEOUT"]})
