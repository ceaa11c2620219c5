"""SIARAN times as an admin writes them (local time, Asia/Jakarta)."""

import pytest

from smsbot.broadcasts.send_policy import in_quiet_hours, next_open
from smsbot.broadcasts.when import parse_when, show
from smsbot.clock import parse_iso
from smsbot.messages.send_settings import parse_quiet_hours

NOW = parse_iso("2026-11-27T10:00")


@pytest.mark.parametrize("words,expected,used", [
    ("besok 09:00", "28/11 09:00", 2),
    ("BESOK 9.30", "28/11 09:30", 2),
    ("lusa 07:00", "29/11 07:00", 2),
    ("15:30", "27/11 15:30", 1),
    ("25/12 08:00", "25/12 08:00", 2),
    ("1/1 08:00", "01/01 08:00", 2),  # next year's
    ("25-12-2026 08:00", "25/12 08:00", 2),
    ("sekarang", "27/11 10:00", 1),
])
def test_when(words, expected, used):
    moment, count = parse_when(words.split(), NOW)
    assert (show(moment), count) == (expected, used)


def test_new_year_rolls_over():
    moment, _ = parse_when(["1/1", "08:00"], NOW)
    assert moment.year == 2027


@pytest.mark.parametrize("words", ["kemarin", "besok", "25/13 08:00", "24:00", "besok 9", ""])
def test_not_a_time(words):
    assert parse_when(words.split(), NOW) is None


def test_quiet_hours_edges_and_next_open():
    quiet = parse_quiet_hours("21:00-07:00")
    assert not in_quiet_hours(parse_iso("2026-11-27T20:59:59"), quiet)
    assert in_quiet_hours(parse_iso("2026-11-27T21:00"), quiet)
    assert in_quiet_hours(parse_iso("2026-11-28T06:59:59"), quiet)
    assert not in_quiet_hours(parse_iso("2026-11-28T07:00"), quiet)
    assert next_open(parse_iso("2026-11-27T23:00"), quiet) == parse_iso("2026-11-28T07:00")
    assert next_open(parse_iso("2026-11-28T03:00"), quiet) == parse_iso("2026-11-28T07:00")
    daytime = parse_quiet_hours("12:00-13:00")
    assert in_quiet_hours(parse_iso("2026-11-27T12:30"), daytime)
    assert not in_quiet_hours(parse_iso("2026-11-27T13:00"), daytime)
