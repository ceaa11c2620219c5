"""Delivery reports through the real libGammu dummy driver: asked for only with
`--delivery-reports`, matched to the outbox row by modem, reference and recipient, never
answered, and summed up per broadcast by `smsbot broadcast list`."""

import time

import gammu
import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from smsbot.cli import main
from smsbot.clock import parse_iso
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.messages.send_settings import Settings
from smsbot.modem.daemon import Daemon
from smsbot.modem.dummy import drop_message, drop_sms, inbox_files, write_config
from smsbot.modem.transport.gammu_modem import GammuTransport
from smsbot.store import engine as db

from ..broadcasts.test_broadcasts import opt_in, schedule
from ..conftest import smsbot_here

pytestmark = pytest.mark.backends

DUMMY_REFERENCE = 255  # the dummy driver's SendSMS gives every SMS this message reference


def report(recipient, status=0x00, reference=DUMMY_REFERENCE):
    return {"Type": "Status_Report", "Number": recipient, "MessageReference": reference,
            "DeliveryStatus": status, "Text": "Delivered" if status < 0x20 else "Failed"}


class Recording(GammuTransport):
    """The real transport; keeps what it hands to SendSMS."""

    handed: list

    def _new_machine(self):
        machine, handed = gammu.StateMachine(), []
        self.handed = handed

        class Proxy:
            def __getattr__(self, name):
                return getattr(machine, name)

            def SendSMS(self, part):  # noqa: N802 - Gammu's name
                handed.append(dict(part))
                return machine.SendSMS(part)

        return Proxy()


def asks_for_report(part: dict) -> bool:
    """TP-SRR (0x20 of the first octet after the SMSC) in the PDU Gammu encodes."""
    pdu = gammu.EncodePDU({**part, "Folder": 2})
    return bool(pdu[pdu[0] + 1] & 0x20)


@pytest.mark.parametrize("asked", [False, True])
def test_a_status_report_is_asked_for_only_with_the_option(tmp_path, asked):
    transport = Recording(write_config(tmp_path), delivery_reports=asked).open()
    assert transport.send("+6281300000001", "halo " * 50) == "255,255"  # one per part
    transport.close()
    assert [asks_for_report(part) for part in transport.handed] == [asked, asked]


def smsbot(env, *args):
    """The command in this process: the installed script is test_gammu_end_to_end's."""
    done = smsbot_here(env, *args)
    assert done.returncode == 0, done.stderr
    return done


def test_a_status_report_marks_its_sms_delivered_and_is_never_answered(tmp_path, cli_env):
    folder = tmp_path / "modem"
    gammurc = str(write_config(folder))
    smsbot(cli_env, "db", "seed")
    drop_sms(folder, "081300000001", "CARI galamai", 1)
    smsbot(cli_env, "run", "--modem", gammurc, "--until-idle", "--delivery-reports")
    engine = db.make_engine(cli_env["SMSBOT_DB"])
    with Session(engine) as session:
        reply = session.exec(select(OutboxMessage)).one()
    assert (reply.to, reply.status, reply.modem_ref, reply.delivery) == (
        "+6281300000001", "sent", "255", None)

    drop_message(folder, report("+6281300000001"), 1)
    smsbot(cli_env, "run", "--modem", gammurc, "--until-idle", "--delivery-reports")

    assert inbox_files(folder) == []
    assert "Recipient number" not in (folder / "gammu.log").read_text()  # no reply to a report
    with Session(engine) as session:
        reply = session.get(OutboxMessage, reply.id)
        stored = session.exec(select(InboundMessage).order_by(InboundMessage.id)).all()[-1]
    assert reply.delivery == "delivered" and reply.delivery_at is not None
    assert (stored.sender, stored.status, stored.note) == (
        "+6281300000001", "ignored",
        f"not answered: status report (delivered, TP-Status 0x00, reference 255) on outbox #{reply.id}")


def test_broadcast_list_shows_the_delivered_share(tmp_path, seeded):
    phones = ["081300000101", "081300000102", "081300000103"]
    opt_in(seeded, *phones)
    item = schedule(seeded, "Promo galamai", "2026-11-28T09:00")
    gammurc = write_config(tmp_path)

    def run_daemon():
        transport = GammuTransport(gammurc, delivery_reports=True).open()
        Daemon(seeded, transport, clock=lambda: parse_iso("2026-11-28T09:05"),
               settings=Settings(send_rate=0)).run(until_idle=True)
        transport.close()

    def listed():
        result = CliRunner().invoke(main, ["--db", str(seeded.url), "broadcast", "list", "--all"],
                                    catch_exceptions=False)
        return next(line for line in result.output.splitlines() if line.startswith(f"#{item.id} "))

    run_daemon()
    assert " delivered -  " in listed()  # sent, no report yet
    # one delivered, one failed for good (0x41: permanent error); the third has no report
    drop_message(tmp_path, report("+6281300000101", 0x00), 1)
    drop_message(tmp_path, report("+6281300000102", 0x41), 2)
    run_daemon()

    with Session(seeded) as session:
        rows = {r.to: r.delivery for r in session.exec(
            select(OutboxMessage).where(OutboxMessage.broadcast_id == item.id))}
    assert rows == {"+6281300000101": "delivered", "+6281300000102": "failed",
                    "+6281300000103": None}
    assert " delivered 50% " in listed()  # of the two with a report


def test_a_status_report_read_twice_is_stored_once(tmp_path, engine):
    # a delete that failed: the same report comes back at the next poll
    from smsbot.clock import utcnow
    from smsbot.messages import inbox

    drop_message(tmp_path, report("+6281300000001"), 1)
    transport = GammuTransport(write_config(tmp_path)).open()
    first = transport.receive()
    time.sleep(1.1)  # the dummy reports the read time as the discharge time
    again = transport.receive()
    transport.close()
    assert [sms.kind for sms in first] == ["status_report"]
    assert inbox.record(engine, first[0], utcnow()) is not None
    assert inbox.record(engine, again[0], utcnow()) is None
