"""Every config in modem_config/ through smsbot's own GammuTransport: open, receive an SMS,
delete it, answer, close. The real-modem configs run Gammu's AT driver against the emulator
playing that modem, with only device, connection and log file swapped (the rest, e.g.
`logformat = errorsdate`, stays as shipped); dummy.gammurc runs on Gammu's dummy driver."""

import configparser
import json
from pathlib import Path

import pytest

from smsbot.modem import inject
from smsbot.modem.emulator import config as emulator_config, state as st
from smsbot.modem.transport.gammu_modem import GammuTransport

CONFIGS = Path(__file__).resolve().parents[2] / "modem_config"
# Which emulator profile plays each real modem (the E153 and E3131 share the E173's quirks).
PLAYED_BY = {"huawei-e153": "huawei-e173", "huawei-e173": "huawei-e173",
             "huawei-e3131": "huawei-e173", "sim800": "sim800", "sim900": "sim800",
             "dummy": None}
BUYER = "+6281211112222"
ORDER = ("PESAN RT01 2, antar ke Jl. Sudirman no 12 dekat masjid, rumah pagar hijau. Tolong "
         "dibungkus rapi ya, untuk oleh-oleh ke Jakarta besok pagi. Terima kasih banyak, Uni.")


def shipped(name, **swap) -> str:
    real = configparser.ConfigParser(interpolation=None)
    real.read(CONFIGS / f"{name}.gammurc")
    section = {**dict(real["gammu"]), **swap}
    return "[gammu]\n" + "".join(f"{key} = {value}\n" for key, value in section.items())


def test_every_shipped_config_has_a_modem_to_play_it():
    assert sorted(p.stem for p in CONFIGS.glob("*.gammurc")) == sorted(PLAYED_BY)


@pytest.mark.parametrize("name", sorted(PLAYED_BY))
def test_shipped_config_receives_and_answers(tmp_path, name):
    directory = tmp_path / "modem"
    rc = tmp_path / f"{name}.gammurc"
    if PLAYED_BY[name]:
        emulator_config.init_dir(directory, PLAYED_BY[name])
        rc.write_text(shipped(name, device=emulator_config.device_command(directory),
                              connection="proxyat", logfile=tmp_path / "gammu.log"))
    else:
        directory.mkdir()
        rc.write_text(shipped(name, device=directory, logfile=tmp_path / "gammu.log"))
    assert inject.deliver_text(rc, BUYER, ORDER) == 2
    transport = GammuTransport(rc).open()
    try:
        received = transport.receive()
        assert [(sms.sender, sms.text, sms.parts) for sms in received] == [(BUYER, ORDER, 2)]
        transport.delete(received[0])
        assert transport.receive() == []
        transport.send(BUYER, "Faktur RT01: Rendang Telur 250g 2x19rb. Total 38rb.")
    finally:
        transport.close()
    if PLAYED_BY[name]:
        sent = [json.loads(line) for line in (directory / st.SENT_FILE).read_text().splitlines()]
        assert [(line["to"], line["text"]) for line in sent] == \
            [(BUYER, "Faktur RT01: Rendang Telur 250g 2x19rb. Total 38rb.")]
        assert not st.load(directory)["sim"]
