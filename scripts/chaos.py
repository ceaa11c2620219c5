#!/usr/bin/env python3
"""Crash safety, measured: kill -9 the daemon at random moments and count what was lost.

    python scripts/chaos.py                      # 1,000 SMS, at least 50 kills, dummy driver
    python scripts/chaos.py --driver at          # the same through Gammu's AT driver
    python scripts/chaos.py --sms 100 --kills 10 --seed 3

The daemon (`smsbot run`) runs as a real subprocess on one modem: Gammu's dummy driver
(`--driver dummy`), or its real AT driver talking to the modem emulator (`--driver at`,
`smsbot modem emulate`; one emulator DIR for the whole run, whose state survives kill -9 by
design). SMS are put into the modem in batches while the daemon is down, and every few
batches a broadcast to a few opted-in contacts comes due. On the dummy each start gets a fresh gammurc
with its own debug log (Gammu empties its log at every Init); on the emulator every SMS it
accepted is a line of DIR/sent.jsonl. Half of the kills come at a random time after the
start, half right after a random number of sends (so they land inside the send loop). After
the last kill, one clean `--until-idle` run finishes the work. Then it checks, from the
database and from what the modem really sent:

- every SMS stored once and answered (inbound `processed`, one reply each);
- every reply sent: no outbox row `queued`, `sending` or `failed`; the modem inbox empty;
- no recipient got a reply twice (each sender sends one SMS, so one reply each);
- no order or complaint code duplicated;
- no contact got the broadcast twice; a broadcast row is `sent`, or `unknown` when a kill
  came inside its modem call (at most once: maybe sent, never resent).

The one known window for replies (at least once): a kill inside Gammu's SendSMS after the
modem took the SMS but before `sent` is committed. The row is left `sending`, is queued
again at restart, and the SMS goes out twice. The script counts how often that happened.
"""

from __future__ import annotations

import argparse
import json
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

from smsbot.broadcasts import runs as broadcasts
from smsbot.clock import utcnow
from smsbot.contacts.models import Contact
from smsbot.messages.models import InboundMessage, OutboxMessage
from smsbot.modem.dummy import inbox_files, write_config
from smsbot.modem.emulator import (
    config as emulator_config,
    inbox as emulator_inbox,
    state as emulator_state,
)
from smsbot.modem.transport.gammu_modem import GammuTransport
from smsbot.sim.seed import seed_demo
from smsbot.store import engine as db

TEXTS = ["CARI galamai", "CARI rendang telur", "BANTUAN", "halo, ini siapa?", "LAGI",
         "cari sanjai", "BANTUAN CARI", "Cari#pisang#salai", "CARI pizza", "SELESAI K7QX"]
SMSBOT = [sys.executable, "-c", "from smsbot.cli import main; main()"]
_BLOCK = re.compile(r"Entering GSM_SendSMS\n(.*?)(?=Entering GSM_SendSMS|\Z)", re.S)
_RECIPIENT = re.compile(r'Recipient number "([^"]*)"')
_TEXT = re.compile(r"7 bit SMS, length \d+, \d+\n(.*?)\n")
_CMGS = re.compile(r"\] < AT\+CMGS=")
PROMO = "Promo chaos {n}: galamai diskon 10% hari ini"
_PROMO = re.compile(r"Promo chaos (\d+):")


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
    driver: str = "dummy"
    broadcasts: int = 0  # broadcasts that came due during the run
    fans: int = 0  # contacts each broadcast goes to
    broadcast_sent: int = 0  # (contact, broadcast) pairs the modem accepted
    broadcast_twice: int = 0  # ... accepted twice
    broadcast_unknown: int = 0  # rows `unknown`: a kill inside their modem call
    broadcast_unknown_not_sent: int = 0  # ... whose SMS never went: lost by at most once
    broadcast_missing: int = 0  # pairs never sent and without an `unknown` row
    seconds: float = 0.0

    @property
    def losses(self) -> int:
        return (self.not_answered + sum(self.outbox_not_sent.values()) + self.recipients_missing
                + self.inbox_left + self.broadcast_missing)

    @property
    def duplicates(self) -> int:
        return (self.inbound_duplicated + self.recipients_twice + self.codes_duplicated
                + self.broadcast_twice)

    @property
    def unexplained_duplicates(self) -> int:
        return (self.inbound_duplicated + self.twice_outside_window + self.codes_duplicated
                + self.broadcast_twice)

    def lines(self) -> list[str]:
        modes = ", ".join(f"{k} {v}" for k, v in sorted(self.kills_by_mode.items()))
        return [
            f"driver:                    {self.driver}",
            f"SMS injected:              {self.sms}",
            f"daemon starts:             {self.starts}",
            f"kill -9:                   {self.kills} ({modes}; {self.kills_with_work_in_flight} with work in flight)",
            f"inbound stored:            {self.inbound} (stored twice: {self.inbound_duplicated})",
            f"answered:                  {self.answered} (not answered: {self.not_answered})",
            f"outbox rows:               {self.outbox_rows} (not sent: {dict(self.outbox_not_sent) or 0})",
            f"rows re-queued by a kill:  {self.requeued_after_kill}",
            f"sends the modem accepted:  {self.sends_logged} (cut by a kill: {self.sends_cut_by_kill})",
            f"recipients missing:        {self.recipients_missing}",
            f"recipients answered twice: {self.recipients_twice} (all in the SendSMS window: "
            f"{'yes' if not self.twice_outside_window else 'NO, ' + str(self.twice_outside_window) + ' outside'})",
            f"modem inbox left:          {self.inbox_left}",
            f"order/ticket codes twice:  {self.codes_duplicated}",
            f"broadcasts:                {self.broadcasts} x {self.fans} contacts: "
            f"{self.broadcast_sent} sent, twice: {self.broadcast_twice}, unknown: "
            f"{self.broadcast_unknown} (never went: {self.broadcast_unknown_not_sent}), "
            f"missing: {self.broadcast_missing}",
            f"LOST: {self.losses}   STORED TWICE: {self.inbound_duplicated}   ANSWERED TWICE: "
            f"{self.recipients_twice}   BROADCAST TWICE: {self.broadcast_twice}   "
            f"(duplicates outside the SendSMS window: {self.unexplained_duplicates}; "
            f"{self.seconds:.0f} s)",
        ]


class DummyModem:
    """Gammu's dummy driver: a folder. Two processes never share it, so SMS are put in while
    the daemon is down; what was sent is read from Gammu's debug log of each start."""

    name = "dummy"
    send_seconds = 0.001  # a send takes well under a millisecond

    def __init__(self, folder: Path):
        self.folder = folder

    def config(self, run: str) -> Path:
        # the same modem (config name) every start, with a new log: Gammu empties its log at
        # Init, and a daemon requeues the interrupted sends of its own modems only
        return write_config(self.folder, name="modem.gammurc", log=f"{run}.log")

    def inject(self, round_no: int, batch) -> None:
        config = write_config(self.folder, name="phone.gammurc", log=f"phone{round_no:03d}.log")
        phone = GammuTransport(config, name="phone").open()
        for number, sender in batch:
            phone.inject(sender, TEXTS[number % len(TEXTS)], reference=number & 0xFF)
        phone.close()

    def sends(self) -> tuple[Counter, int]:
        """((recipient, promo number or 0) -> sends the modem completed, sends begun but cut
        by a kill)."""
        complete, begun = Counter(), 0
        for log in sorted(self.folder.glob("run*.log")) + [self.folder / "final.log"]:
            for block in _BLOCK.findall(log.read_text(errors="replace")):
                recipient = _RECIPIENT.search(block)
                if not recipient:
                    continue
                begun += 1
                if "Leaving GSM_SendSMS" in block:
                    text = _TEXT.search(block)
                    complete[recipient.group(1), _promo_of(text.group(1) if text else "")] += 1
        return complete, begun - sum(complete.values())

    def inbox_left(self) -> int:
        return len(inbox_files(self.folder))


class EmulatedModem:
    """Gammu's AT driver on the modem emulator: one DIR for the whole run (its state survives
    kill -9). SMS arrive while the daemon is down, as on the dummy, to keep the runs alike."""

    name = "at"
    send_seconds = 0.7  # AT+CMGS, then Gammu waits ~0.6 s for the prompt, PDU, +CMGS

    def __init__(self, folder: Path):
        self.dir = folder / "modem"
        self.gammurc = emulator_config.init_dir(self.dir)

    def config(self, run: str) -> Path:
        return self.gammurc

    def inject(self, round_no: int, batch) -> None:
        for number, sender in batch:
            emulator_inbox.deliver_text(self.dir, sender, TEXTS[number % len(TEXTS)])

    def sends(self) -> tuple[Counter, int]:
        path = self.dir / emulator_state.SENT_FILE
        lines = path.read_text().splitlines() if path.exists() else []
        accepted = Counter((sent["to"], _promo_of(sent["text"] or ""))
                           for sent in map(json.loads, lines))
        log = self.dir / emulator_state.LOG_FILE
        begun = len(_CMGS.findall(log.read_text(errors="replace"))) if log.exists() else 0
        return accepted, max(0, begun - sum(accepted.values()))

    def inbox_left(self) -> int:
        state = emulator_state.load(self.dir)
        return len(state["sim"]) + len(state["me"]) + len(state["pending"])


DRIVERS = {"dummy": DummyModem, "at": EmulatedModem}


def _promo_of(text: str) -> int:
    """The run's broadcast number in an SMS text; 0 for a reply."""
    match = _PROMO.search(text)
    return int(match.group(1)) if match else 0


def run_chaos(folder: Path, sms: int = 1000, kills: int = 50, seed: int = 1,
              max_delay: float = 2.5, out=print, driver: str = "dummy",
              fans: int = 10, promos: int | None = None) -> Report:
    """`promos` broadcasts (default one per 5 kills) to `fans` contacts each come due
    spread over the run."""
    rng = random.Random(seed)
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    modem = DRIVERS[driver](folder)
    url = f"sqlite:///{folder / 'chaos.db'}"
    engine = db.make_engine(url)
    seed_demo(engine, utcnow())
    fan_phones = _opt_in(engine, fans)
    # promos at any hour, as fast as the modem sends, as many a day as the run has
    env = dict(os.environ, SMSBOT_DB=url, SMSBOT_QUIET_HOURS="off", SMSBOT_SEND_RATE="0",
               SMSBOT_PROMOS_PER_DAY="0")
    senders = [f"08139{n:07d}" for n in range(sms)]
    batches = _split(list(enumerate(senders)), max(1, kills))
    promos = max(1, kills // 5) if promos is None else promos
    promo_rounds = {n * len(batches) // promos: n + 1 for n in range(promos)} if fans else {}
    report = Report(sms=sms, driver=driver, fans=fans, broadcasts=len(promo_rounds))
    started = time.monotonic()

    for round_no, batch in enumerate(batches):
        modem.inject(round_no, batch)
        if round_no in promo_rounds:
            _broadcast(engine, promo_rounds[round_no])
        report.starts += 1
        config = modem.config(f"run{round_no:03d}")
        with (folder / f"run{round_no:03d}.stderr").open("w") as err:
            daemon = subprocess.Popen([*SMSBOT, "run", "--modem", str(config), "--poll", "0.05"],
                                      env=env, stdout=subprocess.DEVNULL, stderr=err)
            mode = _wait_for_kill_moment(engine, daemon, rng, len(batch), max_delay,
                                         modem.send_seconds)
            in_flight = _work_in_flight(engine)
            daemon.send_signal(signal.SIGKILL)
            daemon.wait()
        report.kills += 1
        report.kills_by_mode[mode] += 1
        report.kills_with_work_in_flight += in_flight
        if report.kills % 10 == 0:
            out(f"  ... {report.kills} kills, {round_no + 1}/{len(batches)} batches injected")

    report.starts += 1
    config = modem.config("final")
    subprocess.run([*SMSBOT, "run", "--modem", str(config), "--until-idle"], env=env,
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=(folder / "final.stderr").open("w"), timeout=3600)
    report.seconds = time.monotonic() - started
    _check(engine, modem, senders, fan_phones, report)
    engine.dispose()
    return report


def _opt_in(engine, fans: int) -> list[str]:
    """`fans` contacts opted in to promos (who never text in); their E.164 numbers."""
    phones = [f"+628139800{n:04d}" for n in range(fans)]
    with Session(engine) as session:
        for phone in phones:
            session.add(Contact(phone=phone, promo_opt_in=True, created_at=utcnow()))
        session.commit()
    return phones


def _broadcast(engine, number: int) -> None:
    """Broadcast `number` of the run, due now (the next daemon start expands and sends it)."""
    now = utcnow()
    with Session(engine) as session:
        broadcasts.create(session, PROMO.format(n=number), now, now)
        session.commit()


def _split(items: list, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _sent_count(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage)
                            .where(OutboxMessage.status == "sent")).one()


def _wait_for_kill_moment(engine, daemon, rng: random.Random, batch: int, max_delay: float,
                          send_seconds: float) -> str:
    """'time': a random moment after the start; 'send': right after a random number of
    further sends (inside the send loop)."""
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0.1, max_delay))
        return "time"
    target = _sent_count(engine) + rng.randint(1, max(1, batch + _unsent(engine) - 1))
    deadline = time.monotonic() + 60
    while _sent_count(engine) < target and daemon.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    time.sleep(rng.uniform(0, send_seconds))  # about the time of one send: inside the next
    return "send"


def _unsent(engine) -> int:
    """Outbox rows still to go (a broadcast waits behind the replies)."""
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage)
                            .where(OutboxMessage.status.in_(["queued", "sending"]))).one()


def _work_in_flight(engine) -> int:
    with Session(engine) as session:
        pending = session.exec(select(func.count()).select_from(InboundMessage)
                               .where(InboundMessage.status == "pending")).one()
        unsent = session.exec(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.status.in_(["queued", "sending"]))).one()
    return int(bool(pending or unsent))


def _check(engine, modem, senders: list[str], fans: list[str], report: Report) -> None:
    from smsbot.contacts.phones import normalize

    with Session(engine) as session:
        inbound = session.exec(select(InboundMessage)).all()
        rows = session.exec(select(OutboxMessage)).all()
        report.codes_duplicated = _duplicated_codes(session)
    outbox = [m for m in rows if m.kind != "broadcast"]
    promos = [m for m in rows if m.kind == "broadcast"]
    report.inbound = len(inbound)
    per_sender = Counter(m.sender for m in inbound)
    report.inbound_duplicated = sum(n - 1 for n in per_sender.values() if n > 1)
    report.not_answered = len(senders) - len({m.sender for m in inbound if m.status == "processed"})
    replies = Counter(m.inbound_id for m in outbox)
    report.answered = sum(1 for m in inbound if replies.get(m.id))
    report.outbox_rows = len(outbox)
    report.outbox_not_sent = Counter(m.status for m in outbox if m.status != "sent")
    report.outbox_not_sent.update(f"broadcast {m.status}" for m in promos
                                  if m.status not in ("sent", "unknown"))
    report.requeued_after_kill = sum(1 for m in outbox if m.attempts > 1)
    complete, report.sends_cut_by_kill = modem.sends()
    expected = {normalize(s) for s in senders}
    report.sends_logged = sum(complete.values())
    report.recipients_missing = sum(1 for to in expected if not complete[to, 0])
    report.recipients_twice = sum(1 for to in expected if complete[to, 0] > 1)
    interrupted = {m.to for m in outbox if m.attempts > 1}
    report.twice_outside_window = sum(1 for to in expected
                                      if complete[to, 0] > 1 and to not in interrupted)
    due = [(to, n) for n in range(1, report.broadcasts + 1) for to in fans]
    unknown = {(m.to, _promo_of(m.text)) for m in promos if m.status == "unknown"}
    report.broadcast_sent = sum(1 for pair in due if complete[pair])
    report.broadcast_twice = sum(1 for pair in due if complete[pair] > 1)
    report.broadcast_unknown = len(unknown)
    report.broadcast_unknown_not_sent = sum(1 for pair in unknown if not complete[pair])
    report.broadcast_missing = sum(1 for pair in due if not complete[pair] and pair not in unknown)
    report.inbox_left = modem.inbox_left()


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
    parser.add_argument("--driver", choices=sorted(DRIVERS), default="dummy",
                        help="Gammu's dummy driver, or its AT driver on the modem emulator")
    parser.add_argument("--fans", type=int, default=10,
                        help="opted-in contacts each of the run's broadcasts goes to")
    parser.add_argument("--broadcasts", type=int, default=None,
                        help="broadcasts coming due over the run (default: one per 5 kills)")
    parser.add_argument("--dir", type=Path, default=None, help="keep the run here (default: temp)")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="smsbot-chaos-"))
    print(f"chaos: {args.sms} SMS, {args.kills} kills, seed {args.seed}, driver {args.driver}, "
          f"in {folder}")
    report = run_chaos(folder, args.sms, args.kills, args.seed, args.max_delay,
                       driver=args.driver, fans=args.fans, promos=args.broadcasts)
    for line in report.lines():
        print(line)
    return 0 if report.losses == 0 and report.unexplained_duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
