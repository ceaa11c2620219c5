"""The sender's side of broadcasts: throttle, priority, restarts, the CLI, `smsbot chat`."""

import io
import json

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from smsbot.broadcasts import runs as broadcasts
from smsbot.cli import main
from smsbot.clock import parse_iso
from smsbot.messages import outbox
from smsbot.messages.models import OutboxMessage
from smsbot.messages.send_settings import Settings, parse_quiet_hours
from smsbot.sim.chat import run_chat
from smsbot.sms.context import Reply
from smsbot.sms.grammar import load
from smsbot.testing import Conversation

from .test_broadcasts import FOOTER, opt_in, schedule

PHONES = [f"0813000001{n:02d}" for n in range(10)]


def counts(engine):
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage.status, func.count())
                            .where(OutboxMessage.kind == "broadcast")
                            .group_by(OutboxMessage.status)).all()
    return dict(rows)


def test_throttle_holds_broadcasts_but_not_replies(conversation, seeded):
    opt_in(seeded, *PHONES)
    schedule(seeded, "Promo", "2026-11-28T09:00")
    assert len(conversation.at("2026-11-28T09:00")) == 6  # 6 per minute
    assert conversation.replies("081300000001", "CARI GL01")[0].startswith("1)GL01")
    assert conversation.advance(seconds=30) == []
    assert len(conversation.advance(seconds=30)) == 4
    assert counts(seeded) == {"sent": 10}


def test_a_reply_goes_before_a_broadcast_backlog(seeded):
    opt_in(seeded, *PHONES)
    conversation = Conversation(seeded, settings=Settings(send_rate=0))
    with Session(seeded) as session:
        for n in range(120):  # more than one send batch
            outbox.enqueue(session, Reply(f"+62813999{n:05d}", "promo", "broadcast"),
                           parse_iso("2026-11-27T10:00"))
        session.commit()
    conversation.transport.inject("081300000001", "CARI GL01")
    sent = conversation.flush()
    assert sent[0].kind == "reply" and sent[0].to == "081300000001"


def test_restart_mid_broadcast_sends_each_recipient_at_most_once(seeded):
    opt_in(seeded, *PHONES)
    item = schedule(seeded, "Promo", "2026-11-28T09:00")
    first = Conversation(seeded, start="2026-11-28T09:00")
    assert len(first.flush()) == 6
    # a crash while the modem had row 7 in hand: maybe sent, so never sent again
    with Session(seeded) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.status == "queued")
                           .order_by(OutboxMessage.id)).first()
        row.status = "sending"
        session.add(row)
        session.commit()
        # the timer (or the scheduler job) runs again for the same run: nothing new
        broadcasts.expand_due(session, parse_iso("2026-11-28T09:05"))
        session.commit()
    second = Conversation(seeded, start="2026-11-28T09:05")  # a new daemon
    later = second.flush()
    assert len(later) == 3
    everyone = [s.to for s in first.outgoing + later]
    assert len(set(everyone)) == len(everyone) == 9
    assert counts(seeded) == {"sent": 9, "unknown": 1}
    with Session(seeded) as session:
        assert session.get(type(item), item.id).runs == 1


def test_the_dedupe_key_refuses_a_second_row_for_a_run(seeded):
    opt_in(seeded, PHONES[0])
    item = schedule(seeded, "Promo", "2026-11-28T09:00")
    with Session(seeded) as session:
        run = parse_iso("2026-11-28T09:00")

        def write():
            return outbox.enqueue_many(session, broadcasts.messages(session, item, run), run,
                                       broadcast_id=item.id,
                                       dedupe_prefix=broadcasts.dedupe_prefix(item, run))
        assert write() == 1
        session.commit()
        with pytest.raises(IntegrityError):
            write()


# Over 2 segments with its footer: the outgoing gate makes 2 pages of it.
LONG = ("Bazar UMKM Payakumbuh Sabtu 09:00 di GOR Kubu Gadang: rendang, galamai, sanjai, "
        "kerupuk, dadiah, bareh randang, pinyaram, kue sapik, lamang tapai, katupek gulai, "
        "sate Danguang-Danguang, bika, lamang baluo, kacimuih, godok, teh talua dan kopi "
        "kawa daun. Diskon 20% untuk pembeli pertama, parkir gratis, hiburan saluang.")


def queued_as_a_reply(engine, phone, text):
    """(text, segments, encoding) of the rows a reply with `text` to `phone` is queued as."""
    with Session(engine) as session:
        first = outbox.enqueue(session, Reply(phone, text), parse_iso("2026-11-28T08:00"))
        session.flush()
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.id >= first.id,
                                                        OutboxMessage.kind == "reply")
                            .order_by(OutboxMessage.id)).all()
        found = [(r.text, r.segments, r.encoding) for r in rows]
        session.rollback()
    return found


def test_a_long_broadcast_goes_out_in_pages_exactly_like_a_reply_with_its_text(seeded):
    opt_in(seeded, PHONES[0])
    schedule(seeded, LONG, "2026-11-28T09:00")
    full = broadcasts.texts_for(LONG)["id"]
    as_reply = queued_as_a_reply(seeded, "+6281300000100", full)
    assert len(as_reply) == 2 and all(segments <= 2 for _t, segments, _e in as_reply)

    conversation = Conversation(seeded, start="2026-11-28T08:59")
    sent = conversation.at("2026-11-28T09:00")  # the daily cap counts messages, not pages
    assert [(s.to, s.kind) for s in sent] == [(PHONES[0], "broadcast")] * 2
    assert [(s.text, s.segments, s.encoding) for s in sent] == as_reply
    assert sent[0].text.endswith("(1/2)") and FOOTER in sent[1].text


def test_the_daily_cap_counts_a_paged_broadcast_once(seeded):
    opt_in(seeded, PHONES[0])
    schedule(seeded, LONG, "2026-11-28T09:00")
    schedule(seeded, "Pasar malam", "2026-11-28T12:00")
    schedule(seeded, "Pasar pagi", "2026-11-28T15:00")
    conversation = Conversation(seeded, start="2026-11-28T08:59",
                                settings=Settings(promos_per_day=2))
    assert len(conversation.at("2026-11-28T09:00")) == 2
    assert [s.text for s in conversation.at("2026-11-28T12:00")] == [
        "Pasar malam. Balas STOP utk berhenti."]
    assert conversation.at("2026-11-28T15:00") == []  # the third message waits for tomorrow


def test_chat_emits_broadcasts_due_by_an_input_at(seeded):
    opt_in(seeded, "081300000011")
    schedule(seeded, "Bazar", "2026-11-28T09:00")
    lines = [
        {"at": "2026-11-28T08:00"},
        {"from": "081300000011", "text": "CARI GL01", "at": "2026-11-28T08:30"},
        {"at": "2026-11-28T09:00"},
        {"from": "081300000011", "text": "STOP", "at": "2026-11-28T09:01"},
    ]
    out = io.StringIO()
    assert run_chat(seeded, [json.dumps(x) for x in lines], out, load()) == 0
    emitted = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["kind"] for e in emitted] == ["reply", "broadcast", "reply"]
    assert emitted[1]["text"] == "Bazar. Balas STOP utk berhenti."


def test_cli_add_list_status_cancel_approve_and_contacts_list(seeded, tmp_path):
    opt_in(seeded, *PHONES[:3])
    url = str(seeded.url)
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(main, ["--db", url, *args], catch_exceptions=False)
        return result.exit_code, result.output

    code, out = run("broadcast", "add", "--at", "2030-01-01T09:00", "--every", "0 9 * * 1",
                    "--to", "all", "Pasar", "Senin")
    assert code == 0 and out.startswith("broadcast #1 at 01/01 09:00 every 0 9 * * 1 to all: 3 contacts")
    assert run("broadcast", "add", "--to", "kelurahan:Atlantis", "x")[0] == 2
    assert run("broadcast", "add", "--every", "bad cron", "x")[0] == 2
    code, out = run("broadcast", "list")
    assert "#1" in out and "scheduled" in out and "Pasar Senin" in out
    code, out = run("broadcast", "status", "1")
    assert out.startswith("#1 scheduled [") and "queued 0" in out
    assert run("broadcast", "cancel", "1")[1].startswith("broadcast #1 cancelled")
    assert "#1" not in run("broadcast", "list")[1]
    assert run("broadcast", "approve", "1")[0] == 1

    conversation = Conversation(seeded)
    conversation.send("081266104512", "PROMO RT01 10 3")
    conversation.send(PHONES[0], "IKUTI RDG1")
    code, out = run("broadcast", "approve", "2", "--to", "shop:RDG1")
    assert (code, out.strip()) == (0, "broadcast #2 approved: 1 contacts")
    conversation.at("2030-01-02T10:00")  # after the CLI's real clock
    code, out = run("broadcast", "status", "2")
    assert "sent 1" in out and "[##############################] 1/1" in out
    code, out = run("contacts", "list")
    assert "+6281300000100" in out and "follows: RDG1" in out


def test_settings_from_environment_and_overrides():
    env = {"SMSBOT_QUIET_HOURS": "22:00-06:00", "SMSBOT_SEND_RATE": "12",
           "SMSBOT_PROMOS_PER_DAY": "2"}
    settings = Settings.from_env(env)
    assert (settings.send_rate, settings.promos_per_day) == (12, 2)
    assert settings.quiet_hours == parse_quiet_hours("22:00-06:00")
    assert Settings.from_env(env, send_rate=3, quiet_hours="off").send_rate == 3
    assert Settings.from_env(env, quiet_hours="off").quiet_hours is None
    assert Settings.from_env({}) == Settings()
    with pytest.raises(ValueError):
        parse_quiet_hours("9pm-7am")


def test_scheduler_job_is_persistent_and_explicit(seeded):
    from smsbot.broadcasts import scheduler

    url = seeded.url.render_as_string(hide_password=False)
    jobs = scheduler.make_scheduler(url, seeded)
    jobs.start(paused=True)
    try:
        scheduler.add_job(jobs, url)
        scheduler.add_job(jobs, url)  # a restart replaces, never duplicates
        [job] = jobs.get_jobs()
        assert (job.id, job.coalesce, job.misfire_grace_time) == (
            scheduler.JOB_ID, True, scheduler.MISFIRE_GRACE_SECONDS)
    finally:
        jobs.shutdown(wait=False)
    opt_in(seeded, PHONES[0])
    schedule(seeded, "Sekarang", "2026-01-01T09:00")  # long due: the job expands it
    assert scheduler.expand_broadcasts(url) == 0
    assert counts(seeded) == {"queued": 1}


def test_run_rejects_bad_settings_before_opening_the_modem(tmp_path):
    gammurc = tmp_path / "gammurc"
    gammurc.write_text("[gammu]\nconnection = none\n")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "run", "--modem",
                                       str(gammurc), "--quiet-hours", "9pm-7am"])
    assert result.exit_code == 2 and "quiet hours must look like 21:00-07:00" in result.output
    result = CliRunner().invoke(main, ["run", "--help"])
    assert "--send-rate" in result.output and "SMSBOT_PROMOS_PER_DAY" in result.output
