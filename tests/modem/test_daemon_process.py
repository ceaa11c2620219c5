"""The daemon as a real process: graceful SIGTERM/SIGINT, a modem that is not there, and
`smsbot modem status`."""

import json
import signal
import subprocess
import time
from collections import Counter

from sqlmodel import Session, select

from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem.dummy import write_config
from smsbot.modem.transport.gammu_modem import GammuTransport
from smsbot.store import engine as db

from ..conftest import smsbot_here
from ..gammu_log import messages


def wait_for(predicate, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)  # waiting on another process, not on our own clock
    raise AssertionError(f"timed out waiting for {what}")


def counts(url):
    engine = db.make_engine(url)
    with Session(engine) as session:
        inbound = session.exec(select(InboundMessage)).all()
        outbox = session.exec(select(OutboxMessage)).all()
    engine.dispose()
    return inbound, outbox


def test_sigterm_finishes_the_message_in_hand_and_exits_0(tmp_path, cli_env):
    folder = tmp_path / "m"
    inject = write_config(folder, name="phone.gammurc", log="phone.log")
    phone = GammuTransport(inject, name="phone").open()
    for n in range(25):
        phone.inject(f"081300001{n:03d}", "CARI galamai")
    phone.close()
    first = write_config(folder, name="run1.gammurc", log="run1.log")
    assert smsbot_here(cli_env, "db", "seed").returncode == 0
    daemon = subprocess.Popen(["smsbot", "run", "--modem", str(first), "--poll", "0.1"],
                              env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    url = cli_env["SMSBOT_DB"]
    wait_for(lambda: any(m.status == "sent" for m in counts(url)[1]), what="a first send")
    daemon.send_signal(signal.SIGTERM)
    _, err = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, err
    assert "finishing the message in hand" in err
    inbound, outbox = counts(url)
    assert not [m for m in outbox if m.status == "sending"]
    assert {m.status for m in inbound} <= {"pending", "processed"}

    # the same modem restarted (named after its file, run1), with a log of its own: the
    # replies queued for run1 are its own, not another modem's to take after HANDOVER (30 s;
    # test_claim holds that rule)
    second = write_config(folder, name="run1.gammurc", log="run2.log")
    subprocess.run(["smsbot", "run", "--modem", str(second), "--until-idle"], env=cli_env,
                   check=True, capture_output=True, timeout=120)
    inbound, outbox = counts(url)
    assert len(inbound) == 25 and all(m.status == "processed" for m in inbound)
    assert sorted(m.status for m in outbox) == ["sent"] * 25
    sent = Counter(to for log in ("run1.log", "run2.log") for to, _ in messages(folder / log))
    assert len(sent) == 25 and set(sent.values()) == {1}


def test_a_missing_modem_is_retried_until_sigint(tmp_path, cli_env):
    gammurc = tmp_path / "gone.gammurc"
    gammurc.write_text(f"[gammu]\ndevice = {tmp_path}/no-such-modem\nconnection = none\n"
                       "model = dummy\n")
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as err:
        daemon = subprocess.Popen(["smsbot", "run", "--modem", str(gammurc), "--poll", "0.1"],
                                  env=cli_env, stdout=subprocess.DEVNULL, stderr=err)
        wait_for(lambda: errors.read_text().count("reopening in") >= 2, what="two retries")
        assert daemon.poll() is None  # still running
        daemon.send_signal(signal.SIGINT)
        assert daemon.wait(timeout=30) == 0
    log = errors.read_text()
    assert "cannot open modem" in log and "reopening in 1 s" in log and "reopening in 2 s" in log


def test_give_up_after_is_explicit(tmp_path, cli_env):
    gammurc = tmp_path / "gone.gammurc"
    gammurc.write_text(f"[gammu]\ndevice = {tmp_path}/no-such-modem\nconnection = none\n"
                       "model = dummy\n")
    done = subprocess.run(["smsbot", "run", "--modem", str(gammurc), "--until-idle",
                           "--give-up-after", "2"], env=cli_env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "giving up" in done.stderr and "2 failures in a row" in done.stderr


def test_modem_status_with_ussd_balance(tmp_path, cli_env):
    gammurc = write_config(tmp_path / "m")
    done = smsbot_here(cli_env, "modem", "status", "--modem", str(gammurc), "--ussd", "*888#")
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(":", 1) for line in done.stdout.splitlines())
    assert lines["manufacturer"].strip() == "Gammu"
    assert lines["IMEI"].strip() == "999999999999999"
    assert lines["signal"].strip().startswith("42%")
    assert "GammuT3l" in lines["network"] and "SIM 0/10000" in lines["SMS memory"]
    assert lines["balance"].strip() == "Reply for *888#"
    as_json = smsbot_here(cli_env, "modem", "status", "--modem", str(gammurc), "--json")
    info = json.loads(as_json.stdout)
    assert info["network"]["NetworkName"] == "GammuT3l" and "ussd" not in info


def test_modem_status_on_a_missing_modem_says_why(tmp_path, cli_env):
    gammurc = tmp_path / "gone.gammurc"
    gammurc.write_text(f"[gammu]\ndevice = {tmp_path}/none\nconnection = none\nmodel = dummy\n")
    done = smsbot_here(cli_env, "modem", "status", "--modem", str(gammurc))
    assert done.returncode == 1 and "cannot open modem" in done.stderr




def test_a_hung_modem_is_reopened_by_the_watchdog_of_smsbot_run(tmp_path, cli_env):
    """The AT driver on the emulator: the modem stops answering at the first listing; with
    --modem-timeout 2 the call is aborted after 2 s (libGammu alone waits far longer), the modem
    reopened and the SMS answered once."""
    from smsbot.modem.emulator import config, inbox, state

    directory = tmp_path / "emu"
    gammurc = config.init_dir(directory)
    inbox.deliver_text(directory, "+6281300000001", "CARI galamai")
    state.update_faults(directory, {"hang": "AT+CMGL"})
    assert smsbot_here(cli_env, "db", "seed").returncode == 0
    started = time.monotonic()
    done = subprocess.run(["smsbot", "run", "--modem", str(gammurc), "--until-idle",
                           "--modem-timeout", "2"], env=cli_env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 45  # libGammu alone: still stuck after 6 minutes
    assert "watchdog" in done.stderr and "reopening in 1 s" in done.stderr
    inbound, outbox = counts(cli_env["SMSBOT_DB"])
    assert [(m.sender, m.status) for m in inbound] == [("+6281300000001", "processed")]
    assert [(m.to, m.status) for m in outbox] == [("+6281300000001", "sent")]
    sent = (directory / state.SENT_FILE).read_text().splitlines()
    assert len(sent) == 1
