"""When an admin means by `besok 09:00`, `25/12 08:00`, `09:00` or `sekarang` (local time)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from smsbot.clock import local, to_db

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2,4}))?$")
_NOW = {"SEKARANG", "NOW", "SKRG"}
_DAYS = {"BESOK": 1, "BSK": 1, "TOMORROW": 1, "LUSA": 2, "HARIINI": 0, "TODAY": 0}


def parse_when(words: list[str] | tuple[str, ...], now: datetime) -> tuple[datetime, int] | None:
    """(moment as aware UTC, how many words it used), or None. Past moments are returned as
    they are: the caller says "that time has passed"."""
    if not words:
        return None
    first = words[0].upper()
    if first in _NOW:
        return to_db(now), 1
    today = local(now)
    if first in _DAYS and len(words) > 1 and (clock := _clock(words[1])):
        day = today + timedelta(days=_DAYS[first])
        return to_db(day.replace(hour=clock[0], minute=clock[1], second=0, microsecond=0)), 2
    if clock := _clock(words[0]):
        return to_db(today.replace(hour=clock[0], minute=clock[1], second=0, microsecond=0)), 1
    match = _DATE.match(words[0])
    if match and len(words) > 1 and (clock := _clock(words[1])):
        day_, month = int(match.group(1)), int(match.group(2))
        year = match.group(3)
        year_n = (int(year) + 2000 if len(year) == 2 else int(year)) if year else today.year
        try:
            moment = today.replace(year=year_n, month=month, day=day_, hour=clock[0],
                                   minute=clock[1], second=0, microsecond=0)
        except ValueError:
            return None
        if not year and moment < today - timedelta(days=1):
            moment = moment.replace(year=year_n + 1)
        return to_db(moment), 2
    return None


def _clock(word: str) -> tuple[int, int] | None:
    match = _TIME.match(word)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def show(moment: datetime) -> str:
    """'28/11 09:00' in local time, as the admin wrote it."""
    return local(moment).strftime("%d/%m %H:%M")
