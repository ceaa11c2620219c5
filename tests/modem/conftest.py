"""Emulator fixtures: a fresh modem directory and python-gammu StateMachines driving it."""
from __future__ import annotations

import gammu
import pytest

from smsbot.modem.emulator import config


@pytest.fixture
def modem_dir(tmp_path):
    directory = tmp_path / "modem"
    config.init_dir(directory, "generic")
    return directory


@pytest.fixture
def connect():
    """connect(gammurc_path, replies=1) -> an Init'ed StateMachine; all are closed at the end."""
    machines = []

    def _connect(gammurc, replies=1):
        sm = gammu.StateMachine()
        sm.ReadConfig(Filename=str(gammurc))
        sm.Init(Replies=replies)
        machines.append(sm)
        return sm

    yield _connect
    for sm in machines:
        try:
            sm.Terminate()
        except gammu.GSMError:
            pass


def inbox(sm):
    """Every message GetNextSMS walks to, as Gammu returns them."""
    found, start, location = [], True, None
    while True:
        try:
            batch = sm.GetNextSMS(Folder=0, Start=True) if start else sm.GetNextSMS(Folder=0, Location=location)
        except gammu.ERR_EMPTY:
            return found
        start = False
        location = batch[0]["Location"]
        found.append(batch)


# --- one modem, either driver ---------------------------------------------------------------

DRIVERS = ("dummy", "at")


class Modem:
    """A test modem on one of two libGammu drivers, seen as the network sees it.

    - `dummy`: Gammu's dummy driver (a folder). What went out is read from Gammu's debug log,
      which Gammu empties at every Init, so each `config()` is a gammurc with its own log.
    - `at`: Gammu's real AT driver talking to the emulator (smsbot.modem.emulator) over
      `connection = proxyat`. What went out is DIR/sent.jsonl, every SMS-SUBMIT part accepted.
    """

    def __init__(self, driver: str, folder):
        from pathlib import Path

        from smsbot.modem.dummy import write_config

        self.driver = driver
        self.dir = Path(folder).resolve()
        self._runs = 0
        if driver == "at":
            self.gammurc = config.init_dir(self.dir, "generic")
        else:
            self.gammurc = write_config(self.dir, name="phone.gammurc", log="phone.log")

    def config(self):
        """A gammurc for one connection of the bot."""
        if self.driver == "at":
            return self.gammurc
        from smsbot.modem.dummy import write_config

        self._runs += 1
        return write_config(self.dir, name=f"run{self._runs}.gammurc", log=f"run{self._runs}.log")

    def inject(self, sender: str, text: str) -> int:
        from smsbot.modem import inject

        return inject.deliver_text(self.gammurc, sender, text)

    def inject_pdus(self, hexes: list[str]) -> int:
        from smsbot.modem import inject

        return inject.deliver_pdus(self.gammurc, hexes)

    def parts(self) -> list[dict]:
        """Every SMS part that went out: to, text, udh (hex without spaces, or '')."""
        if self.driver == "at":
            import json

            path = self.dir / "sent.jsonl"
            lines = path.read_text().splitlines() if path.exists() else []
            return [{"to": x["to"], "text": x["text"], "udh": (x["udh"] or "").upper()}
                    for x in map(json.loads, lines)]
        from ..gammu_log import sends

        return [dict(p, udh=p["udh"].replace(" ", "").upper())
                for n in range(1, self._runs + 1) if (self.dir / f"run{n}.log").exists()
                for p in sends(self.dir / f"run{n}.log")]

    def sent(self) -> list[tuple[str, str]]:
        """Whole messages that went out, (to, text), multipart joined, in order of the last part."""
        out, groups = [], {}
        for part in self.parts():
            udh = bytes.fromhex(part["udh"])
            if len(udh) == 6 and udh[1] == 0x00:  # 8-bit concatenation reference
                key, total, number = (part["to"], udh[3]), udh[4], udh[5]
            elif len(udh) == 7 and udh[1] == 0x08:  # 16-bit
                key, total, number = (part["to"], udh[3:5]), udh[5], udh[6]
            else:
                out.append((part["to"], part["text"]))
                continue
            groups.setdefault(key, {})[number] = part["text"]
            if len(groups[key]) == total:
                texts = groups.pop(key)
                out.append((part["to"], "".join(texts[n] for n in sorted(texts))))
        return out

    def inbox_count(self) -> int:
        """Messages stored on the modem (not those still waiting at the network)."""
        if self.driver == "at":
            from smsbot.modem.emulator import state as st

            s = st.load(self.dir)
            return len(s["sim"]) + len(s["me"])
        from smsbot.modem.dummy import inbox_files

        return len(inbox_files(self.dir))

    def faults(self, **changes) -> None:
        """Faults of the emulator (see modem_config/emulator.md); AT driver only."""
        from smsbot.modem.emulator import state as st

        assert self.driver == "at", "faults.json is the emulator's"
        st.update_faults(self.dir, changes)


@pytest.fixture(params=DRIVERS)
def modem(request, tmp_path):
    """The same scenario on Gammu's dummy driver and on the AT driver with the emulator."""
    return Modem(request.param, tmp_path / f"modem-{request.param}")


def pytest_collection_modifyitems(config, items):
    """The AT driver on SQLite only: the database is the same code on either driver, and the
    AT runs are the slow ones."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        (drop if params.get("modem") == "at" and params.get("backend") == "postgresql"
         else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
