"""Sending settings in one place: quiet hours, the modem throttle, the promo cap.

Defaults live here; environment variables override them, and `smsbot run` options override
both (each option names its variable). Everything is plain data so the sender, `smsbot chat`
and the tests share one shape.

    SMSBOT_QUIET_HOURS     "21:00-07:00" (local time, Asia/Jakarta); "off" = none
    SMSBOT_SEND_RATE       messages per minute per modem (6); 0 = no throttle
    SMSBOT_PROMOS_PER_DAY  broadcast messages per contact per local day (1); 0 = no cap
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import time

QUIET_HOURS = "21:00-07:00"
SEND_RATE = 6
PROMOS_PER_DAY = 1

ENV_QUIET_HOURS = "SMSBOT_QUIET_HOURS"
ENV_SEND_RATE = "SMSBOT_SEND_RATE"
ENV_PROMOS_PER_DAY = "SMSBOT_PROMOS_PER_DAY"

_RANGE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_quiet_hours(text: str | None) -> tuple[time, time] | None:
    """"21:00-07:00" -> (21:00, 07:00); "off", "none", "" -> None. Raises ValueError."""
    if text is None or text.strip().lower() in ("", "off", "none", "0"):
        return None
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"quiet hours must look like 21:00-07:00 (or off), not {text!r}")
    h1, m1, h2, m2 = map(int, match.groups())
    start, end = time(h1, m1), time(h2, m2)
    if start == end:
        return None
    return start, end


@dataclass(frozen=True)
class Settings:
    quiet_hours: tuple[time, time] | None = parse_quiet_hours(QUIET_HOURS)
    send_rate: int = SEND_RATE  # per minute per modem; 0 = unlimited
    promos_per_day: int = PROMOS_PER_DAY  # 0 = unlimited

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "Settings":
        """Defaults, then environment variables, then `overrides` that are not None."""
        env = os.environ if environ is None else environ
        values = {
            "quiet_hours": parse_quiet_hours(env.get(ENV_QUIET_HOURS, QUIET_HOURS)),
            "send_rate": int(env.get(ENV_SEND_RATE, SEND_RATE)),
            "promos_per_day": int(env.get(ENV_PROMOS_PER_DAY, PROMOS_PER_DAY)),
        }
        quiet = overrides.pop("quiet_hours", None)
        if quiet is not None:  # "off" (a string) turns quiet hours off
            values["quiet_hours"] = parse_quiet_hours(quiet) if isinstance(quiet, str) else quiet
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values["send_rate"] < 0 or values["promos_per_day"] < 0:
            raise ValueError("send rate and promos per day must be 0 or more")
        return cls(**values)
