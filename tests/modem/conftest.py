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
