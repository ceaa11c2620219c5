"""A fault-injecting Gammu transport, for tests, `scripts/chaos.py` and benchmarks.

The dummy driver cannot fail a send, so faults are injected one level down: the real
`GammuTransport` runs over a proxy of the real `gammu.StateMachine` that raises real Gammu
exceptions (`gammu.ERR_TIMEOUT`, `gammu.ERR_NETWORK_ERROR` ...) from chosen calls. The
transport's own error mapping, the daemon's reconnect and the outbox's retry are therefore
exercised exactly as on a misbehaving modem.

    plan = FaultPlan()
    plan.fail("SendSMS", gammu.ERR_NETWORK_ERROR, times=2)   # scripted
    plan.fail("Init", gammu.ERR_DEVICEOPENERROR)             # the port is gone at start
    plan.fail("SendSMS", gammu.ERR_TIMEOUT, after=True)      # sent, but the answer was lost
    plan = FaultPlan.random(rate=0.05, seed=1)               # 5% of modem calls fail
    transport = FaultyGammuTransport(gammurc, plan)

`after=True` models the one fault that duplicates an SMS on a real modem: the network took
the message but the acknowledgement never reached us, so it is sent again.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

import gammu

from smsbot.modem.transport.gammu_modem import GammuTransport

CALLS = ("Init", "GetSMSStatus", "GetNextSMS", "DeleteSMS", "SendSMS")
RANDOM_ERRORS = (
    "ERR_TIMEOUT", "ERR_NOTCONNECTED", "ERR_DEVICEOPENERROR", "ERR_FULL",
    "ERR_NETWORK_ERROR", "ERR_UNKNOWN", "ERR_DEVICEWRITEERROR",
)


@dataclass
class Fault:
    error: type
    after: bool = False  # raise after the real call has run (a lost acknowledgement)


@dataclass
class FaultPlan:
    scripted: dict[str, list[Fault]] = field(default_factory=dict)
    rate: float = 0.0  # chance that any call in `calls` fails (random mode)
    calls: tuple[str, ...] = CALLS
    errors: tuple[str, ...] = RANDOM_ERRORS
    rng: random.Random = field(default_factory=random.Random)
    injected: Counter = field(default_factory=Counter)  # "SendSMS ERR_TIMEOUT" -> n

    @classmethod
    def random(cls, rate: float, seed: int | None = None, **kwargs) -> "FaultPlan":
        return cls(rate=rate, rng=random.Random(seed), **kwargs)

    def fail(self, call: str, error: type, times: int = 1, *, after: bool = False) -> "FaultPlan":
        self.scripted.setdefault(call, []).extend(Fault(error, after) for _ in range(times))
        return self

    def pick(self, call: str) -> Fault | None:
        queue = self.scripted.get(call)
        if queue:
            return queue.pop(0)
        if self.rate and call in self.calls and self.rng.random() < self.rate:
            return Fault(getattr(gammu, self.rng.choice(self.errors)))
        return None

    def raise_(self, call: str, fault: Fault):
        self.injected[f"{call} {fault.error.__name__}"] += 1
        raise fault.error({"Text": "injected fault", "Where": call, "Code": -1})


class FaultyStateMachine:
    """Every attribute of the real StateMachine; the calls named in the plan may fail."""

    def __init__(self, real: gammu.StateMachine, plan: FaultPlan):
        self._real = real
        self._plan = plan

    def __getattr__(self, name: str):
        attr = getattr(self._real, name)
        if not callable(attr) or name not in CALLS:
            return attr
        plan = self._plan

        def call(*args, **kwargs):
            fault = plan.pick(name)
            if fault is not None and not fault.after:
                plan.raise_(name, fault)
            result = attr(*args, **kwargs)
            if fault is not None:
                plan.raise_(name, fault)
            return result

        return call


class FaultyGammuTransport(GammuTransport):
    """The real GammuTransport over a StateMachine that fails as `plan` says."""

    def __init__(self, config, plan: FaultPlan, **kwargs):
        super().__init__(config, **kwargs)
        self.plan = plan

    def _new_machine(self):
        return FaultyStateMachine(gammu.StateMachine(), self.plan)
