"""The admin's broadcast form in plain choices, turned into what `smsbot broadcast add` takes.

The form asks for a day and a time (WIB), once / every day / every week on a weekday, and an
audience picked from lists (everyone, a kecamatan, a kelurahan, followers of a word or of a
shop). `read(form, now, ...)` gives either the values for `broadcasts.create` (text, first
time, cron, target) or one Indonesian sentence saying what to fix; nothing here raises.
The cron uses weekday names, which every cron dialect reads alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from smsbot.clock import LOCAL_TZ, local

MAX_TEXT = 600
AHEAD = timedelta(days=366)  # a broadcast is scheduled within a year
WEEKDAYS = [("mon", "Senin"), ("tue", "Selasa"), ("wed", "Rabu"), ("thu", "Kamis"),
            ("fri", "Jumat"), ("sat", "Sabtu"), ("sun", "Minggu")]
REPEATS = {"once": "Sekali", "daily": "Setiap hari", "weekly": "Setiap minggu"}
AUDIENCES = {"all": "Semua kontak yang DAFTAR", "kecamatan": "Warga satu kecamatan",
             "kelurahan": "Warga satu kelurahan", "follows": "Pengikut satu kata (IKUTI)",
             "shop": "Pengikut satu toko"}
_CRON = re.compile(r"^(\d{1,2}) (\d{1,2}) \* \* (\*|mon|tue|wed|thu|fri|sat|sun)$")


@dataclass
class Plan:
    text: str
    first_at: datetime  # aware
    every: str  # cron, "" = once
    target: str


def clean(value, limit: int) -> str:
    """A typed value without control characters (NUL breaks PostgreSQL), cut to `limit`."""
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " "
                   for ch in str(value or ""))
    return text.strip()[:limit]


def _time(text: str) -> time | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def _date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read(form, now: datetime, kecamatan: list[str], kelurahan: list[str],
         shops: list[str]) -> tuple[Plan | None, str]:
    """(plan, "") or (None, what to fix)."""
    text = clean(form.get("text"), MAX_TEXT)
    if not text:
        return None, "Isi siaran masih kosong."
    day_text, time_text = clean(form.get("date"), 10), clean(form.get("time"), 5)
    today = local(now)
    at_time = _time(time_text) if time_text else None
    if time_text and at_time is None:
        return None, "Jam tidak dikenal. Tulis seperti 09:00."
    if day_text:
        day = _date(day_text)
        if day is None:
            return None, "Tanggal tidak dikenal. Pilih tanggal di kalender."
        first = datetime.combine(day, at_time or time(9, 0), LOCAL_TZ)
    elif at_time is not None:
        first = datetime.combine(today.date(), at_time, LOCAL_TZ)
        if first < today:
            first += timedelta(days=1)
    else:
        first = now
    if first < now - timedelta(minutes=1) or first > now + AHEAD:
        return None, "Waktu kirim harus antara sekarang dan satu tahun lagi."
    repeat = clean(form.get("repeat"), 10) or "once"
    if repeat not in REPEATS:
        return None, "Pilih ulangan: sekali, setiap hari atau setiap minggu."
    local_first = local(first)
    every = ""
    if repeat == "daily":
        every = f"{local_first.minute} {local_first.hour} * * *"
    elif repeat == "weekly":
        weekday = clean(form.get("weekday"), 3) or WEEKDAYS[local_first.weekday()][0]
        if weekday not in dict(WEEKDAYS):
            return None, "Pilih hari dalam minggu."
        every = f"{local_first.minute} {local_first.hour} * * {weekday}"
    target, problem = _target(form, kecamatan, kelurahan, shops)
    if problem:
        return None, problem
    return Plan(text, first, every, target), ""


def _target(form, kecamatan, kelurahan, shops) -> tuple[str, str]:
    audience = clean(form.get("audience"), 12) or "all"
    if audience == "all":
        return "all", ""
    if audience == "kecamatan":
        name = clean(form.get("kecamatan"), 80)
        return (f"kecamatan:{name}", "") if name in kecamatan else ("", "Pilih kecamatan.")
    if audience == "kelurahan":
        name = clean(form.get("kelurahan"), 80)
        return (f"kelurahan:{name}", "") if name in kelurahan else ("", "Pilih kelurahan.")
    if audience == "shop":
        code = clean(form.get("shop"), 20).upper()
        return (f"shop:{code}", "") if code in shops else ("", "Pilih toko.")
    if audience == "follows":
        word = clean(form.get("word"), 40)
        if not word or not all(ch.isalnum() or ch in " -" for ch in word):
            return "", "Tulis satu kata yang diikuti pembeli, mis. rendang."
        return f"follows:{word}", ""
    return "", "Pilih penerima."


def describe_every(every: str) -> str:
    """A cron this form makes, in words ("setiap Senin 09:00"); other crons as they are."""
    match = _CRON.match(every or "")
    if not match:
        return every
    minute, hour, weekday = int(match.group(1)), int(match.group(2)), match.group(3)
    when = f"{hour:02d}:{minute:02d}"
    if weekday == "*":
        return f"setiap hari {when}"
    return f"setiap {dict(WEEKDAYS)[weekday]} {when}"


def describe_target(target: str) -> str:
    kind, _, value = target.partition(":")
    words = {"all": "semua kontak", "kecamatan": "kecamatan", "kelurahan": "kelurahan",
             "follows": "pengikut kata", "shop": "pengikut toko"}
    return f"{words.get(kind, kind)} {value}".strip()
