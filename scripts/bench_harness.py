"""What both sides of scripts/bench_pipeline.py share: the message mix, putting it into a
Gammu dummy modem or the AT modem emulator, measuring a process tree from outside
(os.wait4), and checking that every SMS was answered exactly once (database, and Gammu's
debug log or the emulator's sent.jsonl)."""

from __future__ import annotations

import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smsbot.contacts.phones import normalize  # noqa: E402
from smsbot.modem.dummy import write_config  # noqa: E402
from smsbot.modem.emulator import (
    config as emulator_config,  # noqa: E402
    inbox as emulator_inbox,  # noqa: E402
    pdu as emulator_pdu,  # noqa: E402
    state as emulator_state,  # noqa: E402
)
from smsbot.modem.transport.gammu_modem import GammuTransport  # noqa: E402
from tests.gammu_log import messages as logged_messages  # noqa: E402

# (weight, template). {i} is the message number. Keywords not (yet) known to the bot get
# its help reply, which is still one answer per SMS.
MIX: list[tuple[int, str]] = [
    (30, "CARI rendang telur"),
    (10, "cari galamai"),
    (10, "cari kerupuk sanjai"),
    (15, "LOKASI Sungai Durian"),
    (15, "PESAN RT02 {q}"),
    (8, "KELUHAN pesanan belum datang no {i}"),
    (12, "halo, ini siapa? {i}"),
]
# Multipart (every 10th SMS): longer than 160 characters.
LONG_MIX: list[str] = [
    "KELUHAN Saya pesan rendang telur dua bungkus kemarin sore lewat SMS dan sudah transfer, "
    "tapi sampai sekarang belum ada kabar dari penjual. Tolong dibantu dicek ya, terima kasih "
    "banyak. Nomor {i}",
    "CARI rendang telur yang pedas dan tahan lama untuk oleh-oleh ke Jakarta, kalau bisa "
    "yang dekat dengan Ngalau Indah atau di sekitar pusat kota Payakumbuh, terima kasih {i}",
]
SENDERS = 500
# The benchmark measures the pipeline, not the flood guard: 500 senders sending 2,000 SMS in
# seconds (often the same text) would be rate-limited and loop-guarded by a real daemon.
# Both sides run with the per-sender limits off.
BENCH_ENV = {"SMSBOT_REPLY_LIMITS": "off", "SMSBOT_LOOP_WINDOW": "0"}


@dataclass
class Result:
    name: str
    n: int
    wall: float = 0.0  # start -> last reply sent
    process_wall: float = 0.0  # start -> process exit (ours) / stopped (peer)
    cpu: float = 0.0
    peak_rss_mb: float = 0.0
    answered: int = 0
    sent: int = 0
    parts: int = 0  # SMS parts the modem accepted (AT driver only: sent.jsonl lines)
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.n / self.wall if self.wall else 0.0

    @property
    def cpu_per_1000(self) -> float:
        return self.cpu * 1000 / self.n if self.n else 0.0

    def line(self) -> str:
        return (f"{self.name:5} n={self.n:5}  wall {self.wall:7.2f} s  {self.rate:8.1f} msg/s  "
                f"cpu {self.cpu_per_1000:6.2f} s/1000 msg  peak RSS {self.peak_rss_mb:6.1f} MB  "
                f"replies sent {self.sent}")


def build_messages(n: int) -> list[tuple[str, str]]:
    """N (sender, text) pairs, deterministic; every 10th is a multipart SMS."""
    bag = [template for weight, template in MIX for _ in range(weight)]
    out = []
    for i in range(n):
        sender = f"0813{77000000 + i % SENDERS:08d}"
        if i % 10 == 0:
            text = LONG_MIX[(i // 10) % len(LONG_MIX)].format(i=i)
        else:
            text = bag[(i * 7919) % len(bag)].format(i=i, q=1 + i % 3)
        out.append((sender, text))
    return out


def inject(folder: Path, messages: list[tuple[str, str]]) -> float:
    """Put the SMS into the dummy modem at `folder` (its own gammurc and log)."""
    config = write_config(folder, name="inject.gammurc", log="inject.log")
    transport = GammuTransport(config, name="phone").open()
    started = time.perf_counter()
    first = datetime.now() - timedelta(seconds=len(messages))
    parts = 0
    for i, (sender, text) in enumerate(messages):
        # One SMSC time stamp per SMS: the same text from the same phone in the same second
        # is one SMS to the dedupe key (a re-read), as it would be on a real modem.
        parts += transport.inject(sender, text, when=first + timedelta(seconds=i),
                                  reference=i & 0xFF)
    # Check that every part landed. On the dummy driver this count also opens all 50,000
    # file names of its five folders once, so the kernel knows the empty ones before the
    # clock starts: on a folder written a moment ago the first such walk costs ~0.8 s more
    # than later ones (the same for both sides; a real modem has no such walk).
    status = transport.machine.GetSMSStatus()
    stored = status.get("SIMUsed", 0) + status.get("PhoneUsed", 0)
    transport.close()
    if stored != parts:
        raise SystemExit(f"injected {parts} SMS parts but the dummy modem holds {stored}")
    return time.perf_counter() - started


def emulator_modem(directory: Path, messages: list[tuple[str, str]],
                   sim_capacity: int | None = None) -> Path:
    """A fresh AT modem emulator at `directory` holding the SMS (what does not fit in its SIM
    and phone memory waits at the "network" and arrives as space frees, as on a real modem);
    returns its gammurc. Time stamps and references as in `inject`."""
    config = emulator_config.init_dir(directory, "generic", sim_capacity)
    first = datetime.now() - timedelta(seconds=len(messages))
    pdus = []
    for i, (sender, text) in enumerate(messages):
        pdus += emulator_pdu.deliver_pdus(sender, text, first + timedelta(seconds=i),
                                          ref8=i & 0xFF)
    emulator_inbox.deliver_pdus(directory, pdus)
    return config


def emulator_holds(directory: Path) -> int:
    """Messages still in the emulator's storage or waiting at its network."""
    state = emulator_state.load(directory)
    return len(state["sim"]) + len(state["me"]) + len(state["pending"])


def emulator_sends(path: Path) -> list[tuple[str, str]]:
    """Whole messages from the emulator's sent.jsonl (one line per part): parts joined by
    their concatenation reference (8- or 16-bit UDH)."""
    out: list[tuple[str, str]] = []
    groups: dict[tuple, dict[int, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        part = json.loads(line)
        udh = bytes.fromhex(part["udh"] or "")
        if len(udh) == 6 and udh[1] == 0x00:
            ref, total, number = udh[3], udh[4], udh[5]
        elif len(udh) == 7 and udh[1] == 0x08:
            ref, total, number = udh[3] << 8 | udh[4], udh[5], udh[6]
        else:
            out.append((part["to"], part["text"]))
            continue
        group = groups.setdefault((part["to"], ref, total), {})
        group[number] = part["text"]
        if len(group) == total:
            del groups[(part["to"], ref, total)]
            out.append((part["to"], "".join(group[k] for k in sorted(group))))
    return out


def smsbot_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "smsbot"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "smsbot"]


def seed(db_path: Path) -> None:
    subprocess.run([*smsbot_cmd(), "--db", str(db_path), "db", "seed"], check=True,
                   stdout=subprocess.DEVNULL)


def wait_rusage(proc: subprocess.Popen) -> resource.struct_rusage:
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage


def account(result: Result, usage: resource.struct_rusage) -> None:
    result.cpu = usage.ru_utime + usage.ru_stime
    result.peak_rss_mb = usage.ru_maxrss / 1024  # KiB on Linux; the largest process of the tree


def verify(result: Result, db_path: Path, log: Path, messages: list[tuple[str, str]]) -> None:
    """Every SMS answered exactly once: one processed inbound row per SMS, at least one reply
    row to its sender, every outbox row sent, and the modem shows exactly those sends (`log`:
    Gammu's debug log, or the emulator's sent.jsonl)."""
    with sqlite3.connect(db_path) as con:
        inbound = con.execute("SELECT id, sender_e164, status FROM inboundmessage").fetchall()
        replies = con.execute(
            "SELECT inbound_id, \"to\", text, status FROM outboxmessage").fetchall()
    expected = Counter(normalize(sender) for sender, _ in messages)
    got = Counter(phone for _id, phone, _status in inbound)
    if got != expected:
        result.problems.append(f"inbound rows differ from the SMS sent: {_diff(expected, got)}")
    not_done = [i for i, _p, status in inbound if status != "processed"]
    if not_done:
        result.problems.append(f"{len(not_done)} inbound SMS not processed")
    by_inbound = Counter(inbound_id for inbound_id, _to, _t, _s in replies)
    unanswered = [i for i, _p, _s in inbound if by_inbound[i] == 0]
    if unanswered:
        result.problems.append(f"{len(unanswered)} inbound SMS without a reply")
    unsent = [r for r in replies if r[3] != "sent"]
    if unsent:
        result.problems.append(f"{len(unsent)} outbox rows not sent")
    result.answered = len(inbound) - len(unanswered)
    check_log(result, log, Counter((to, text) for _i, to, text, status in replies
                                   if status == "sent"))


_SMSD_PREFIX = re.compile(r"^\w{3} \d{4}/\d\d/\d\d \d\d:\d\d:\d\d gammu-smsd\[\d+\]: (gammu: )?", re.M)


def check_log(result: Result, log: Path, expected: Counter) -> None:
    if log.name == "smsd.log":  # gammu-smsd prefixes each line of Gammu's debug output
        clean = log.with_name("smsd-gammu.log")
        clean.write_text(_SMSD_PREFIX.sub("", log.read_text(errors="replace")))
        log = clean
    if log.name == emulator_state.SENT_FILE:
        sent = Counter(emulator_sends(log)) if log.exists() else Counter()
        result.parts = len(log.read_text().splitlines()) if log.exists() else 0
    else:
        sent = Counter(logged_messages(log)) if log.exists() else Counter()
    result.sent = sum(sent.values())
    if sent != expected:
        result.problems.append(f"the modem's sends ({log.name}) differ from the outbox: "
                               f"{_diff(expected, sent)}")


def _diff(expected: Counter, got: Counter) -> str:
    missing, extra = expected - got, got - expected
    return (f"{sum(missing.values())} missing (e.g. {list(missing)[:2]}), "
            f"{sum(extra.values())} extra (e.g. {list(extra)[:2]})")
