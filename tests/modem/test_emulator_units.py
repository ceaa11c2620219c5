"""The emulator's pieces without Gammu's AT driver: PDU helpers, storage, the AT engine, CLI."""
from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from smsbot.modem.emulator import config, inbox, pdu as pdus, profiles, state as st
from smsbot.modem.emulator.cli import emulate
from smsbot.modem.emulator.modem import Modem


def session(directory, model="generic"):
    out = bytearray()
    modem = Modem(directory, profiles.get(model), out.extend)

    def say(text: bytes) -> str:
        out.clear()
        modem.feed(text)
        return out.decode("latin-1")
    return modem, say


def test_pack7_round_trip_through_gammu():
    for text in ["*888#", "*123*1#", "abcdefg", "Sisa pulsa Rp12.345"]:
        assert pdus.unpack7(pdus.pack7(text)) == text
    assert pdus.pack7("*888#") == "2A1C0E3702"


def test_status_report_decodes_with_gammu():
    report = pdus.status_report("+628111", 9, dt.datetime(2026, 1, 2, 3, 4, 5), dt.datetime(2026, 1, 2, 3, 4, 9))
    decoded = pdus.decode(report)
    assert (decoded["Type"], decoded["Number"], decoded["MessageReference"], decoded["DeliveryStatus"]) == \
        ("Status_Report", "+628111", 9, 0)


def test_deliver_text_picks_ucs2_and_concatenation(tmp_path):
    hexes = inbox.deliver_text(tmp_path, "+628111", "ü" * 10 + "🙏" * 80)
    decoded = [pdus.decode(h) for h in hexes]
    assert {d["Coding"] for d in decoded} == {"Unicode_No_Compression"}
    assert len({d["UDH"]["ID8bit"] for d in decoded}) == 1 and len(decoded) > 1
    assert len(st.load(tmp_path)["sim"]) == len(hexes)


def test_at_transcript(tmp_path):
    inbox.deliver_text(tmp_path, "+628111", "halo")
    modem, say = session(tmp_path)
    assert say(b"AT\r") == "AT\r\r\nOK\r\n"
    assert say(b"ATE0\r") == "ATE0\r\r\nOK\r\n"
    assert say(b"AT+FOO\r") == "\r\nERROR\r\n"
    assert say(b"AT+CPMS?\r") == '\r\n+CPMS: "SM",1,30,"SM",1,30,"SM",1,30\r\n\r\nOK\r\n'
    listing = say(b"AT+CMGL=4\r")
    assert listing.startswith("\r\n+CMGL: 1,0,,") and listing.endswith("\r\nOK\r\n")
    assert say(b"AT+CMGL=0\r") == "\r\nOK\r\n"                 # listing marked it read
    assert say(b"AT+CMGR=7\r") == "\r\n+CMS ERROR: 321\r\n"
    assert say(b"AT+CMGS=12\r") == "\r\n> "
    assert say(b"0011\x1b") == "\r\nOK\r\n"                     # ESC cancels the send
    assert not (tmp_path / st.SENT_FILE).exists()


def test_cmgw_then_cmss_sends_the_stored_message(tmp_path):
    modem, say = session(tmp_path)
    say(b"ATE0\r")
    submit = outgoing_pdu("disimpan dulu")
    assert say(f"AT+CMGW={pdus.tpdu_length(submit)}\r".encode()) == "\r\n> "
    assert say(submit.encode() + b"\x1a") == "\r\n+CMGW: 1\r\n\r\nOK\r\n"
    assert say(b"AT+CMSS=1\r") == "\r\n+CMGS: 0\r\n\r\nOK\r\n"
    line = json.loads((tmp_path / st.SENT_FILE).read_text())
    assert (line["to"], line["text"], line["mr"]) == ("+6281299990000", "disimpan dulu", 0)


def outgoing_pdu(text):
    import gammu
    part = pdus.text_parts(text)[0]
    part.update(Number="+6281299990000", SMSC={"Number": pdus.DEFAULT_SMSC})
    return gammu.EncodePDU(part).hex().upper()


def test_huawei_numbers_storage_from_zero(tmp_path):
    config.init_dir(tmp_path, "huawei-e173")
    assert inbox.deliver_text(tmp_path, "+628111", "halo")
    assert list(st.load(tmp_path)["sim"]) == ["0"]


def test_emulator_config_detection(tmp_path):
    rc = config.init_dir(tmp_path / "m", "sim800")
    assert config.is_emulator_config(rc)
    assert config.emulator_dir(rc) == (tmp_path / "m").resolve()
    other = tmp_path / "real.gammurc"
    other.write_text("[gammu]\ndevice = /dev/ttyUSB0\nconnection = at\n")
    assert not config.is_emulator_config(other)


def test_cli_init_writes_gammurc_and_faults(tmp_path):
    result = CliRunner().invoke(emulate, [str(tmp_path / "m"), "--init", "--model", "huawei-e173",
                                          "--fail-next", "38", "--fail-number", "+62812:21"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "m" / "gammurc").read_text()
    assert "connection = proxyat" in text and "-m smsbot.modem.emulator" in text
    assert "logformat = textall" in text
    assert st.load_faults(tmp_path / "m") == {"fail_next_sends": [38], "number_errors": {"+62812": 21}}
    assert st.load(tmp_path / "m")["model"] == "huawei-e173"


def test_main_imports_only_stdlib_and_gammu():
    import subprocess
    import sys
    code = ("import sys; import smsbot.modem.emulator.__main__; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'sqlalchemy', 'click')"
            " or (m.startswith('smsbot.') and not m.startswith('smsbot.modem'))]; print(bad)")
    out = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True,
                         cwd=config.SOURCE_ROOT, env={"PYTHONPATH": str(config.SOURCE_ROOT)})
    assert out.stdout.strip() == "[]", out.stderr


def test_a_long_text_is_delivered_with_its_real_part_count_and_reference():
    import gammu

    from smsbot.modem.emulator import pdu

    hexes = pdu.deliver_pdus("+6281300000002", "keluhan " + "rendangnya keras sekali " * 12,
                             ref8=0x94)
    parts = [gammu.DecodePDU(bytes.fromhex(h), True) for h in hexes]
    assert [p["UDH"]["PartNumber"] for p in parts] == [1, 2]
    assert {p["UDH"]["AllParts"] for p in parts} == {2}
    assert {p["UDH"]["ID8bit"] for p in parts} == {0x94}
