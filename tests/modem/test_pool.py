"""Past one modem: a modem pool in one daemon, and several daemons on one database."""

import subprocess

import pytest
from sqlmodel import Session, select

from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem.dummy import inbox_files, write_config
from smsbot.modem.transport.gammu_modem import GammuTransport
from smsbot.store import engine as db

from ..conftest import smsbot_here
from ..gammu_log import messages

pytestmark = pytest.mark.backends


def inject(config, count, start=0):
    phone = GammuTransport(config, name="phone").open()
    for n in range(start, start + count):
        phone.inject(f"08130000{n:04d}", "CARI galamai" if n % 2 else "BANTUAN", reference=n)
    phone.close()


def modems(tmp_path, names):
    configs = {}
    for name in names:
        configs[name] = write_config(tmp_path / name, name=f"{name}.gammurc")
    return configs


def outcome(url):
    with Session(db.make_engine(url)) as session:
        inbound = session.exec(select(InboundMessage)).all()
        out = session.exec(select(OutboxMessage)).all()
    return inbound, out


def test_one_daemon_two_modems_answers_each_sms_once_through_its_modem(tmp_path, cli_env):
    assert smsbot_here(cli_env, "db", "seed").returncode == 0
    configs = modems(tmp_path, ["a", "b"])
    inject(configs["a"], 6, 0)
    inject(configs["b"], 6, 100)
    done = smsbot_here(cli_env, "run", "--until-idle", "--poll", "0.1",
                       "--modem", str(configs["a"]), "--modem", str(configs["b"]))
    assert done.returncode == 0, done.stderr
    inbound, out = outcome(cli_env["SMSBOT_DB"])
    assert len(inbound) == 12 and all(m.status == "processed" for m in inbound)
    assert len(out) == 12 and all(m.status == "sent" for m in out)
    for name in "ab":
        assert inbox_files(tmp_path / name) == []
        sent = messages(tmp_path / name / "gammu.log")
        received_here = {m.sender_e164 for m in inbound if m.modem == name}
        assert {to for to, _ in sent} == received_here  # answered through its own modem


def test_two_daemons_on_one_database_send_nothing_twice(tmp_path, cli_env):
    assert smsbot_here(cli_env, "db", "seed").returncode == 0
    configs = modems(tmp_path, ["a1", "a2", "b1", "b2"])
    for index, name in enumerate(configs):
        inject(configs[name], 15, index * 100)
    daemons = [subprocess.Popen(["smsbot", "run", "--until-idle", "--poll", "0.1",
                                 "--modem", str(configs[x]), "--modem", str(configs[y])],
                                env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
               for x, y in (("a1", "a2"), ("b1", "b2"))]
    for daemon in daemons:
        _out, err = daemon.communicate(timeout=180)
        assert daemon.returncode == 0, err
    inbound, out = outcome(cli_env["SMSBOT_DB"])
    assert len(inbound) == 60 and all(m.status == "processed" for m in inbound)
    assert len(out) == 60 and all(m.status == "sent" for m in out)
    sent = [to for name in configs for to, _ in messages(tmp_path / name / "gammu.log")]
    assert len(sent) == 60 and len(set(sent)) == 60  # every buyer answered exactly once
