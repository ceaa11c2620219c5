#!/usr/bin/env python3
"""Crash safety, measured: kill -9 the daemon at random moments and count what was lost.

    python scripts/chaos.py                      # 1,000 SMS, at least 50 kills
    python scripts/chaos.py --sms 100 --kills 10 --seed 3

The daemon (`smsbot run`) runs as a real subprocess on Gammu's dummy modem. SMS are put into
the modem in batches while the daemon is down (two processes never share the dummy's
folder); each start gets a fresh gammurc with its own debug log (Gammu empties its log at
every Init). Half of the kills come at a random time after the start, half right after a
random number of sends (so they land inside the send loop). After the last kill, one clean
`--until-idle` run finishes the work. Then it checks, from the database and from what
Gammu's logs say was really sent:

- every SMS stored once and answered (inbound `processed`, one reply each);
- every reply sent: no outbox row `queued`, `sending` or `failed`; the modem inbox empty;
- no recipient got a reply twice (each sender sends one SMS, so one reply each);
- no order or complaint code duplicated.

The one known window: a kill inside Gammu's SendSMS after the modem took the SMS but
before `sent` is committed. The row is left `sending`, is queued again at restart, and the
SMS goes out twice. The script counts how often that happened.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, text as sql
from sqlmodel import Session, func, select

from smsbot.clock import utcnow
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem.dummy import inbox_files, write_config
from smsbot.modem.transport.gammu_modem import GammuTransport
from smsbot.sim.seed import seed_demo
from smsbot.store import engine as db

TEXTS = ["CARI galamai", "CARI rendang telur", "BANTUAN", "halo, ini siapa?", "LAGI",
         "cari sanjai", "BANTUAN CARI", "Cari#pisang#salai", "CARI pizza", "SELESAI K7QX"]
SMSBOT = [sys.executable, "-c", "from smsbot.cli import main; main()"]
_BLOCK = re.compile(r"Entering GSM_SendSMS\n(.*?)(?=Entering GSM_SendSMS|\Z)", re.S)
_RECIPIENT = re.compile(r'Recipient number "([^"]*)"')


@dataclass
class Report:
    sms: int = 0
    kills: int = 0
    kills_by_mode: Counter = field(default_factory=Counter)
    kills_with_work_in_flight: int = 0
    starts: int = 0
    inbound: int = 0
    inbound_duplicated: int = 0
    answered: int = 0
    not_answered: int = 0
    outbox_rows: int = 0
    outbox_not_sent: Counter = field(default_factory=Counter)
    requeued_after_kill: int = 0  # rows with more than one try
    sends_logged: int = 0
    recipients_missing: int = 0
    recipients_twice: int = 0
    twice_outside_window: int = 0  # a second send whose row was never interrupted
    sends_cut_by_kill: int = 0  # send begun in the log but never finished
    inbox_left: int = 0
    codes_duplicated: int = 0
    seconds: float = 0.0

    @property
    def losses(self) -> int:
        return (self.not_answered + sum(self.outbox_not_sent.values()) + self.recipients_missing
                + self.inbox_left)

    @property
    def duplicates(self) -> int:
        return self.inbound_duplicated + self.recipients_twice + self.codes_duplicated

    @property
    def unexplained_duplicates(self) -> int:
        return self.inbound_duplicated + self.twice_outside_window + self.codes_duplicated

    def lines(self) -> list[str]:
        modes = ", ".join(f"{k} {v}" for k, v in sorted(self.kills_by_mode.items()))
        return [
            f"SMS injected:              {self.sms}",
            f"daemon starts:             {self.starts}",
            f"kill -9:                   {self.kills} ({modes}; {self.kills_with_work_in_flight} with work in flight)",
            f"inbound stored:            {self.inbound} (stored twice: {self.inbound_duplicated})",
            f"answered:                  {self.answered} (not answered: {self.not_answered})",
            f"outbox rows:               {self.outbox_rows} (not sent: {dict(self.outbox_not_sent) or 0})",
            f"rows re-queued by a kill:  {self.requeued_after_kill}",
            f"sends in Gammu's logs:     {self.sends_logged} (cut by a kill: {self.sends_cut_by_kill})",
            f"recipients missing:        {self.recipients_missing}",
            f"recipients answered twice: {self.recipients_twice} (all in the SendSMS window: "
            f"{'yes' if not self.twice_outside_window else 'NO, ' + str(self.twice_outside_window) + ' outside'})",
            f"modem inbox left:          {self.inbox_left}",
            f"order/ticket codes twice:  {self.codes_duplicated}",
            f"LOSSES: {self.losses}   DUPLICATES: {self.duplicates} (outside the SendSMS window: "
            f"{self.unexplained_duplicates})   ({self.seconds:.0f} s)",
        ]


def run_chaos(folder: Path, sms: int = 1000, kills: int = 50, seed: int = 1,
              max_delay: float = 2.5, out=print) -> Report:
    rng = random.Random(seed)
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'chaos.db'}"
    engine = db.make_engine(url)
    seed_demo(engine, utcnow())
    env = dict(os.environ, SMSBOT_DB=url)
    senders = [f"08139{n:07d}" for n in range(sms)]
    batches = _split(list(enumerate(senders)), max(1, kills))
    report = Report(sms=sms)
    started = time.monotonic()

    for round_no, batch in enumerate(batches):
        _inject(folder, round_no, batch, rng)
        report.starts += 1
        # the same modem (config name) every start, with a new log: Gammu empties its log at
        # Init, and a daemon requeues the interrupted sends of its own modems only
        config = write_config(folder, name="modem.gammurc", log=f"run{round_no:03d}.log")
        with (folder / f"run{round_no:03d}.stderr").open("w") as err:
            daemon = subprocess.Popen([*SMSBOT, "run", "--modem", str(config), "--poll", "0.05"],
                                      env=env, stdout=subprocess.DEVNULL, stderr=err)
            mode = _wait_for_kill_moment(engine, daemon, rng, len(batch), max_delay)
            in_flight = _work_in_flight(engine)
            daemon.send_signal(signal.SIGKILL)
            daemon.wait()
        report.kills += 1
        report.kills_by_mode[mode] += 1
        report.kills_with_work_in_flight += in_flight
        if report.kills % 10 == 0:
            out(f"  ... {report.kills} kills, {round_no + 1}/{len(batches)} batches injected")

    report.starts += 1
    config = write_config(folder, name="modem.gammurc", log="final.log")
    subprocess.run([*SMSBOT, "run", "--modem", str(config), "--until-idle"], env=env,
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=(folder / "final.stderr").open("w"), timeout=3600)
    report.seconds = time.monotonic() - started
    _check(engine, folder, senders, report)
    engine.dispose()
    return report


def _split(items: list, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _inject(folder: Path, round_no: int, batch, rng: random.Random) -> None:
    config = write_config(folder, name="phone.gammurc", log=f"phone{round_no:03d}.log")
    phone = GammuTransport(config, name="phone").open()
    for number, sender in batch:
        phone.inject(sender, TEXTS[number % len(TEXTS)], reference=number & 0xFF)
    phone.close()


def _sent_count(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage)
                            .where(OutboxMessage.status == "sent")).one()


def _wait_for_kill_moment(engine, daemon, rng: random.Random, batch: int, max_delay: float) -> str:
    """'time': a random moment after the start; 'send': right after a random number of
    further sends (inside the send loop)."""
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0.1, max_delay))
        return "time"
    target = _sent_count(engine) + rng.randint(1, max(1, batch - 1))
    deadline = time.monotonic() + 60
    while _sent_count(engine) < target and daemon.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    time.sleep(rng.uniform(0, 0.001))  # a send takes well under a millisecond on the dummy
    return "send"


def _work_in_flight(engine) -> int:
    with Session(engine) as session:
        pending = session.exec(select(func.count()).select_from(InboundMessage)
                               .where(InboundMessage.status == "pending")).one()
        unsent = session.exec(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.status.in_(["queued", "sending"]))).one()
    return int(bool(pending or unsent))


def _check(engine, folder: Path, senders: list[str], report: Report) -> None:
    from smsbot.contacts.phones import normalize

    with Session(engine) as session:
        inbound = session.exec(select(InboundMessage)).all()
        outbox = session.exec(select(OutboxMessage)).all()
        report.codes_duplicated = _duplicated_codes(session)
    report.inbound = len(inbound)
    per_sender = Counter(m.sender for m in inbound)
    report.inbound_duplicated = sum(n - 1 for n in per_sender.values() if n > 1)
    report.not_answered = len(senders) - len({m.sender for m in inbound if m.status == "processed"})
    replies = Counter(m.inbound_id for m in outbox)
    report.answered = sum(1 for m in inbound if replies.get(m.id))
    report.outbox_rows = len(outbox)
    report.outbox_not_sent = Counter(m.status for m in outbox if m.status != "sent")
    report.requeued_after_kill = sum(1 for m in outbox if m.attempts > 1)
    complete, begun = Counter(), Counter()
    for log in sorted(folder.glob("run*.log")) + [folder / "final.log"]:
        for block in _BLOCK.findall(log.read_text(errors="replace")):
            recipient = _RECIPIENT.search(block)
            if not recipient:
                continue
            begun[recipient.group(1)] += 1
            if "Leaving GSM_SendSMS" in block:
                complete[recipient.group(1)] += 1
    expected = {normalize(s) for s in senders}
    report.sends_logged = sum(complete.values())
    report.sends_cut_by_kill = sum(begun.values()) - sum(complete.values())
    report.recipients_missing = len(expected - set(complete))
    report.recipients_twice = sum(1 for n in complete.values() if n > 1)
    interrupted = {m.to for m in outbox if m.attempts > 1}
    report.twice_outside_window = sum(1 for to, n in complete.items()
                                      if n > 1 and to not in interrupted)
    report.inbox_left = len(inbox_files(folder))


def _duplicated_codes(session: Session) -> int:
    """Order and complaint codes are unique by schema; count any table with a `code`
    column that nevertheless repeats one (for tables other issues add)."""
    duplicated = 0
    inspector = inspect(session.get_bind())
    for table in ("order", "complaint", "ticket"):
        if table in inspector.get_table_names():
            columns = {c["name"] for c in inspector.get_columns(table)}
            if "code" in columns:
                duplicated += session.exec(sql(
                    f'SELECT COUNT(*) - COUNT(DISTINCT code) FROM "{table}"')).one()[0]
    return duplicated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sms", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=2.5,
                        help="latest 'time' kill, seconds after the daemon starts")
    parser.add_argument("--dir", type=Path, default=None, help="keep the run here (default: temp)")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="smsbot-chaos-"))
    print(f"chaos: {args.sms} SMS, {args.kills} kills, seed {args.seed}, in {folder}")
    report = run_chaos(folder, args.sms, args.kills, args.seed, args.max_delay)
    for line in report.lines():
        print(line)
    return 0 if report.losses == 0 and report.unexplained_duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
