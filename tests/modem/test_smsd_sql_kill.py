"""`smsbot run --smsd` killed with SIGKILL and started again, on a gammu-smsd database
(the smsbot store on SQLite: the PostgreSQL store is covered in process by test_smsd_sql)."""

import signal
import subprocess

import pytest

from smsbot.modem.transport.smsd_sql import SmsdSqlTransport

from . import smsd_db
from .test_daemon_process import counts, wait_for


@pytest.fixture
def smsd():
    url, drop = smsd_db.create()
    fake = smsd_db.FakeSmsd(url)
    yield fake
    fake.close()
    drop()


def test_kill_9_of_smsbot_loses_nothing_and_answers_nothing_twice(seeded, smsd, cli_env):
    """The real thing: `smsbot run --smsd` killed with SIGKILL as soon as it has stored the
    first SMS (while it reads, stores and answers a batch), then started again."""
    url = cli_env["SMSBOT_DB"]
    SmsdSqlTransport(smsd.url, seeded).open().close()  # first start: the cursor
    senders = [f"+62813000010{n:02d}" for n in range(40)]
    for sender in senders:
        smsd.receive(sender, "CARI galamai")
    daemon = subprocess.Popen(["smsbot", "run", "--smsd", smsd.url, "--poll", "0.1"],
                              env=cli_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: counts(url)[0], what="a first stored SMS")
    daemon.send_signal(signal.SIGKILL)
    daemon.wait(timeout=30)
    inbound, _ = counts(url)
    # the kill came before the batch was done (here: all 40 stored, none answered yet)
    assert {m.status for m in inbound} != {"processed"} or len(smsd.outbox()) < len(senders)
    subprocess.run(["smsbot", "run", "--smsd", smsd.url, "--until-idle"], env=cli_env,
                   check=True, capture_output=True, timeout=120)
    inbound, outbox = counts(url)
    assert sorted(m.sender for m in inbound) == senders  # 0 lost
    assert {m.status for m in inbound} == {"processed"} and {m.status for m in outbox} == {"sent"}
    assert sorted(r.DestinationNumber for r in smsd.outbox()) == senders  # 0 answered twice
