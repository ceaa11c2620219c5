"""Web settings in one place; environment variables override the defaults.

    SMSBOT_TILE_URL     map tile URL template; "" = no tiles (markers on a blank map)
    SMSBOT_NUMBER       the bot's phone number, shown on shop pages ("SMS ke ...")
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from smsbot.clock import utcnow

TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
BOT_NUMBER = "0812 0000 0000"


@dataclass
class WebConfig:
    tile_url: str = TILE_URL
    bot_number: str = BOT_NUMBER
    clock: Callable[[], datetime] = field(default=utcnow)  # tests pass a fixed clock
    https_only: bool | None = None  # the cookie's Secure flag; None: when the request is HTTPS
    host_names: list[str] = field(default_factory=list)  # allowed Host headers; empty: any

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "WebConfig":
        env = os.environ if environ is None else environ
        values = {
            "tile_url": env.get("SMSBOT_TILE_URL", TILE_URL),
            "bot_number": env.get("SMSBOT_NUMBER", BOT_NUMBER),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
