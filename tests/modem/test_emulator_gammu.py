"""The emulator driven by libGammu's real AT driver (python-gammu), as smsbot will drive a modem.

Gammu's own waits are long (command timeouts are seconds in libGammu 1.45.1: 20 s for AT+CSQ,
30 s for the CMGS prompt; the +CMGS answer gets 100 ReadDevice rounds of up to 1 s). Tests of
hangs cut them short with StateMachine.Abort() from a timer thread, as a watchdog would.
"""
from __future__ import annotations

import configparser
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import gammu
import pytest

from smsbot.modem.emulator import config, inbox, pdu as pdus, state as st

from .conftest import inbox as walk

REPO = Path(__file__).resolve().parents[2]


def outgoing(text, number="+6281299990000", report=False):
    parts = gammu.EncodeSMS({"Class": -1, "Entries": [{"ID": "ConcatenatedAutoTextLong", "Buffer": text}]})
    for part in parts:
        part.update(SMSC={"Location": 1}, Number=number)
        if report:
            part["Type"] = "Status_Report"
    return parts


def sent(directory):
    path = Path(directory) / st.SENT_FILE
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def faults(directory, **changes):
    st.update_faults(directory, changes)


def watchdog(sm, seconds):
    timer = threading.Timer(seconds, sm.Abort)
    timer.start()
    return timer


def texts(messages):
    """Rejoin what GetNextSMS returned the way smsbot does: LinkSMS, then DecodeSMS."""
    out = []
    for group in gammu.LinkSMS(messages):
        decoded = gammu.DecodeSMS(group)
        if decoded is None:
            out.append("".join(m["Text"] for m in group))
        else:
            out.append("".join(e["Buffer"] for e in decoded["Entries"] if e["Buffer"]))
    return out


# --- Init -------------------------------------------------------------------------------------

@pytest.mark.parametrize("model, manufacturer, name", [
    ("generic", "Generic", "GSM Modem"),
    ("huawei-e173", "Huawei", "E173"),
    ("sim800", "SIMCOM", "SIMCOM_SIM800L"),   # Gammu normalises the vendor name
])
def test_init_each_profile(tmp_path, connect, model, manufacturer, name):
    rc = config.init_dir(tmp_path / model, model)
    sm = connect(rc)
    assert sm.GetManufacturer() == manufacturer
    assert sm.GetModel()[1] == name
    assert sm.GetSMSStatus()["SIMSize"] == 30
    log = (tmp_path / model / st.LOG_FILE).read_text()
    assert "< ATE1" in log
    if model == "huawei-e173":          # F_HUAWEI_INIT, from the CGMM answer
        assert "< AT^CURC=0" in log and "< AT^PORTSEL=1" in log
    else:
        assert "AT^CURC" not in log


@pytest.mark.parametrize("name, model", [
    ("huawei-e153", "huawei-e173"), ("huawei-e173", "huawei-e173"), ("huawei-e3131", "huawei-e173"),
    ("sim800", "sim800"), ("sim900", "sim800"),
])
def test_repo_configs_work_against_the_emulator(tmp_path, connect, name, model):
    """Each real config's own settings (model, logformat...), with only device/connection/log
    swapped for the emulator."""
    real = configparser.ConfigParser(interpolation=None)
    real.read(REPO / "modem_config" / f"{name}.gammurc")
    directory = tmp_path / name
    config.init_dir(directory, model)
    section = dict(real["gammu"])
    section.update(device=config.device_command(directory), connection="proxyat",
                   logfile=str(directory / "gammu.log"))
    rc = tmp_path / f"{name}.gammurc"
    rc.write_text("[gammu]\n" + "".join(f"{k} = {v}\n" for k, v in section.items()))
    inbox.deliver_text(directory, "+6281211112222", "PESAN RT01 2")
    sm = connect(rc)
    assert sm.GetSMSStatus()["SIMUsed"] == 1
    assert texts(walk(sm)) == ["PESAN RT01 2"]


# --- Receiving --------------------------------------------------------------------------------

def concat16(sender, text):
    """A 3-part SMS-DELIVER with a 16-bit concatenation reference, parts from Gammu's encoder."""
    parts = gammu.EncodeSMS({"Class": -1, "Entries": [{"ID": "ConcatenatedTextLong16bit", "Buffer": text}]})
    out = []
    for part in parts:
        part.update(Type="Deliver", Number=sender, SMSC={"Number": pdus.DEFAULT_SMSC}, Folder=1,
                    State="UnRead", DateTime=dt.datetime(2026, 11, 30, 8, 0, 0))
        out.append(gammu.EncodePDU(part, Layout="Deliver").hex())
    return out


BINARY_WAP_PUSH = (   # 8-bit port-addressed WAP push, as Gammu's tests/at-sms dumps store them
    "07912618485400F9440C912618020095950004903031117300404B0B05040B8423F00003"
    "D70202660601AE02056A0045C60C037777772E6578616D706C652E636F6D2F000103"
    "48616C6F00010101")


def test_status_counts_walk_and_rejoin(modem_dir, connect):
    long8 = "Pesanan RT01: rendang telur 250g x2, keripik sanjai x3, antar ke Jl. Sudirman. " * 4
    long16 = "Mohon konfirmasi pesanan nomor 1234 sebelum jam lima sore ya, terima kasih. " * 5
    ucs2 = "Terima kasih 🙏 pesanan diterima"
    inbox.deliver_text(modem_dir, "+6281211110001", "halo")
    inbox.deliver_text(modem_dir, "+6281211110002", long8)
    parts16 = concat16("+6281211110003", long16)
    assert len(parts16) == 3
    inbox.deliver_pdus(modem_dir, list(reversed(parts16)))          # out of order
    inbox.deliver_text(modem_dir, "+6281211110004", ucs2)
    report = pdus.status_report("+6281211110005", 42, dt.datetime(2026, 11, 30, 8),
                                dt.datetime(2026, 11, 30, 8, 1))
    inbox.deliver_pdus(modem_dir, [report, BINARY_WAP_PUSH])
    sm = connect(modem_dir / "gammurc")
    status = sm.GetSMSStatus()
    assert status["SIMUsed"] == 1 + 3 + 3 + 1 + 2
    messages = walk(sm)
    assert len(messages) == 10
    types = [m[0]["Type"] for m in messages]
    assert types.count("Status_Report") == 1
    sr = next(m[0] for m in messages if m[0]["Type"] == "Status_Report")
    assert sr["MessageReference"] == 42 and sr["Number"] == "+6281211110005"
    binary = next(m[0] for m in messages if m[0]["Coding"] == "8bit")
    assert binary["UDH"]["Type"] != "NoUDH"
    udh16 = [m[0]["UDH"] for m in messages if m[0]["UDH"]["ID16bit"] not in (-1, 0)]
    assert len(udh16) == 3
    delivers = [m for m in messages if m[0]["Type"] == "Deliver" and m[0]["Coding"] != "8bit"]
    joined = texts(delivers)
    assert sorted(joined) == sorted(["halo", long8, long16, ucs2])


def test_delete_frees_space_and_pending_messages_arrive(tmp_path, connect):
    directory = tmp_path / "small"
    config.init_dir(directory, "generic", sim_capacity=2)
    with st.transaction(directory) as s:
        s["me_capacity"] = 0
    placed = [inbox.deliver_pdus(directory, pdus.deliver_pdus("+62812000", f"pesan {i}"))[0] for i in range(3)]
    assert placed == [("SM", 1), ("SM", 2), None]
    assert inbox.waiting(directory) == 1
    sm = connect(directory / "gammurc")
    assert sm.GetSMSStatus()["SIMUsed"] == 2
    first = walk(sm)
    assert [m[0]["Text"] for m in first] == ["pesan 0", "pesan 1"]
    sm.DeleteSMS(Folder=0, Location=first[0][0]["Location"])
    assert inbox.waiting(directory) == 0      # the waiting one took the freed index
    assert sorted(m[0]["Text"] for m in walk(sm)) == ["pesan 1", "pesan 2"]


def test_cnmi_raises_incoming_sms_event(modem_dir, connect):
    sm = connect(modem_dir / "gammurc")
    events = []
    sm.SetIncomingCallback(lambda _sm, kind, data: events.append((kind, data)))
    sm.SetIncomingSMS()
    inbox.deliver_text(modem_dir, "+6281233334444", "BANTUAN")
    deadline = time.time() + 5
    while not events and time.time() < deadline:
        sm.ReadDevice()
    assert events and events[0][0] == "SMS"
    assert sm.GetSMS(Folder=0, Location=events[0][1]["Location"])[0]["Text"] == "BANTUAN"


# --- Sending ----------------------------------------------------------------------------------

def test_send_single_and_multipart_land_in_sent_jsonl(modem_dir, connect):
    sm = connect(modem_dir / "gammurc")
    long_text = "Faktur RT01: rendang telur 250g x2 = Rp50.000, ongkir Rp5.000. " * 4
    refs = [sm.SendSMS(p) for p in outgoing("Pesanan diterima")]
    refs += [sm.SendSMS(p) for p in outgoing(long_text, "+6281355556666")]
    assert refs == [0, 1, 2]
    lines = sent(modem_dir)
    assert [line["mr"] for line in lines] == refs
    assert lines[0]["to"] == "+6281299990000" and lines[0]["text"] == "Pesanan diterima"
    assert lines[0]["udh"] is None
    assert lines[1]["udh"].startswith("050003") and lines[2]["udh"][-2:] == "02"
    assert lines[1]["text"] + lines[2]["text"] == long_text
    assert gammu.DecodePDU(bytes.fromhex(lines[1]["pdu"]), SMSC=True)["Number"] == "+6281355556666"


def test_status_report_arrives_after_a_send_that_asked(modem_dir, connect):
    faults(modem_dir, status_report_after=0.2)
    sm = connect(modem_dir / "gammurc")
    mr = sm.SendSMS(outgoing("minta laporan", report=True)[0])
    sm.SendSMS(outgoing("tanpa laporan")[0])
    time.sleep(0.5)
    reports = [m[0] for m in walk(sm) if m[0]["Type"] == "Status_Report"]
    assert [(r["MessageReference"], r["Number"], r["DeliveryStatus"]) for r in reports] == \
        [(mr, "+6281299990000", 0)]


# --- Faults -----------------------------------------------------------------------------------

def test_cms_errors_on_send(modem_dir, connect):
    """python-gammu maps every +CMS ERROR on send to ERR_UNKNOWN except 322 (ERR_FULL)."""
    faults(modem_dir, fail_next_sends=[38, 42, 21, 500, 322])
    sm = connect(modem_dir / "gammurc")
    for error in [gammu.ERR_UNKNOWN] * 4 + [gammu.ERR_FULL]:
        with pytest.raises(error):
            sm.SendSMS(outgoing("gagal")[0])
    assert sent(modem_dir) == []
    assert sm.SendSMS(outgoing("berhasil")[0]) == 0
    assert [line["text"] for line in sent(modem_dir)] == ["berhasil"]


def test_nth_send_and_number_errors(modem_dir, connect):
    faults(modem_dir, send_errors={"2": 38}, number_errors={"+6281200000000": 21})
    sm = connect(modem_dir / "gammurc")
    sm.SendSMS(outgoing("satu")[0])
    with pytest.raises(gammu.ERR_UNKNOWN):
        sm.SendSMS(outgoing("dua")[0])
    with pytest.raises(gammu.ERR_UNKNOWN):
        sm.SendSMS(outgoing("ke nomor buruk", "+6281200000000")[0])
    sm.SendSMS(outgoing("empat")[0])
    assert [line["text"] for line in sent(modem_dir)] == ["satu", "empat"]


def test_read_error_and_sim_full(modem_dir, connect):
    inbox.deliver_text(modem_dir, "+6281211110001", "halo")
    faults(modem_dir, read_error=500)
    sm = connect(modem_dir / "gammurc")
    with pytest.raises(gammu.ERR_UNKNOWN):
        sm.GetNextSMS(Folder=0, Start=True)
    faults(modem_dir, read_error=None, sim_full=True)
    assert inbox.deliver_text(modem_dir, "+6281211110002", "ke memori ponsel")
    status = sm.GetSMSStatus()
    assert (status["SIMUsed"], status["SIMSize"], status["PhoneUsed"]) == (1, 1, 1)


def test_noise_and_delay_inside_answers(modem_dir, connect):
    inbox.deliver_text(modem_dir, "+6281211110001", "halo")
    faults(modem_dir, noise=["RING", "^RSSI:18", "^BOOT:27710117,0,0,0,75", '+CMTI: "SM",1'], delay=0.05)
    sm = connect(modem_dir / "gammurc")
    assert texts(walk(sm)) == ["halo"]
    assert sm.SendSMS(outgoing("tetap terkirim")[0]) == 0
    assert "^RSSI:18" in (modem_dir / st.LOG_FILE).read_text()


def test_registration_lost_then_back(modem_dir, connect):
    faults(modem_dir, creg_lost=2, creg_lost_stat=2)
    sm = connect(modem_dir / "gammurc")
    states = [sm.GetNetworkInfo()["State"] for _ in range(3)]
    assert states == ["RequestingNetwork", "RequestingNetwork", "HomeNetwork"]


def test_hang_mid_send_times_out_then_reopen_works(modem_dir, connect):
    faults(modem_dir, hang="PDU")
    sm = connect(modem_dir / "gammurc")
    watchdog(sm, 1.0)
    with pytest.raises(gammu.ERR_TIMEOUT):
        sm.SendSMS(outgoing("macet")[0])
    assert sent(modem_dir) == []
    fresh = connect(modem_dir / "gammurc")           # a new process: the hang is gone
    assert fresh.SendSMS(outgoing("lancar")[0]) == 0


@pytest.mark.parametrize("how", ["hang", "exit"])
def test_answer_lost_after_accepting(modem_dir, connect, how):
    """The double-send trap: the network took the SMS, the client never hears +CMGS."""
    faults(modem_dir, answer_lost=how)
    sm = connect(modem_dir / "gammurc")
    watchdog(sm, 1.0)
    with pytest.raises(gammu.ERR_TIMEOUT):
        sm.SendSMS(outgoing("terkirim tanpa jawaban")[0])
    assert [line["text"] for line in sent(modem_dir)] == ["terkirim tanpa jawaban"]
    fresh = connect(modem_dir / "gammurc")
    assert fresh.SendSMS(outgoing("berikutnya")[0]) == 1


def test_unplug_mid_command_then_fresh_init(modem_dir, connect):
    inbox.deliver_text(modem_dir, "+6281211110001", "masih ada")
    faults(modem_dir, unplug="AT+CMGL")
    sm = connect(modem_dir / "gammurc")
    watchdog(sm, 1.0)
    with pytest.raises(gammu.ERR_DEVICEWRITEERROR):   # the wait aborted, the pipe is gone
        walk(sm)
    assert "unplugged" in (modem_dir / st.LOG_FILE).read_text()
    assert texts(walk(connect(modem_dir / "gammurc"))) == ["masih ada"]


# --- USSD -------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["generic", "huawei-e173"])
@pytest.mark.parametrize("mode", ["gsm", "ucs2"])
def test_ussd_balance(tmp_path, connect, model, mode):
    directory = tmp_path / model
    rc = config.init_dir(directory, model)
    faults(directory, ussd_mode=mode)
    sm = connect(rc)
    events = []
    sm.SetIncomingUSSD()
    sm.SetIncomingCallback(lambda _sm, kind, data: events.append((kind, data)))
    sm.DialService("*888#")
    deadline = time.time() + 5
    while not events and time.time() < deadline:
        sm.ReadDevice()
    assert events == [("USSD", {"Status": "NoActionNeeded", "Text": st.DEFAULT_BALANCE})]


# --- pty and restarts -------------------------------------------------------------------------

def test_pty_mode(tmp_path, connect):
    """connection = at115200 as in modem_config/sim800.gammurc. Init is slower here: Gammu
    writes byte by byte with pauses on `at` connections until Init ends."""
    connection = "at115200"
    directory = tmp_path / "pty"
    config.init_dir(directory, "sim800")
    inbox.deliver_text(directory, "+6281211110001", "lewat pty")
    proc = subprocess.Popen([sys.executable, "-m", "smsbot.modem.emulator", str(directory), "--pty"],
                            stdout=subprocess.PIPE, text=True, cwd=config.SOURCE_ROOT)
    try:
        path = proc.stdout.readline().strip()
        assert path.startswith("/dev/")
        rc = tmp_path / "pty.gammurc"
        rc.write_text(config.gammurc_text(directory, "sim800", connection=connection, device=path))
        assert config.emulator_dir(rc) == directory.resolve()
        sm = connect(rc)
        assert sm.GetModel()[1] == "SIMCOM_SIM800L"
        assert texts(walk(sm)) == ["lewat pty"]
        assert sm.SendSMS(outgoing("balas lewat pty")[0]) == 0
    finally:
        proc.terminate()
        proc.wait(5)


def test_state_survives_kill_of_the_emulator(modem_dir, connect):
    inbox.deliver_text(modem_dir, "+6281211110001", "jangan hilang")
    sm = connect(modem_dir / "gammurc")
    assert sm.SendSMS(outgoing("pertama")[0]) == 0
    log = (modem_dir / st.LOG_FILE).read_text()
    pid = int(log.rsplit("] start", 1)[0].rsplit("[", 1)[1])
    os.kill(pid, signal.SIGKILL)
    sm2 = connect(modem_dir / "gammurc")
    assert texts(walk(sm2)) == ["jangan hilang"]
    assert sm2.SendSMS(outgoing("kedua")[0]) == 1     # the message reference carries on
