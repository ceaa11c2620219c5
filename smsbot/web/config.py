"""Web settings in one place; environment variables override the defaults.

    SMSBOT_WEB_SECRET   key that signs the session cookie (default: a random one kept in
                        var/web-secret, made on first start; set it when several `smsbot web`
                        processes serve one database)
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
    secret: str = ""  # empty: create_app reads (or makes) the one in secret_file
    secret_file: str = "var/web-secret"
    tile_url: str = TILE_URL
    bot_number: str = BOT_NUMBER
    clock: Callable[[], datetime] = field(default=utcnow)  # tests pass a fixed clock
    https_only: bool = False  # set the cookie's Secure flag (behind TLS)

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "WebConfig":
        env = os.environ if environ is None else environ
        values = {
            "secret": env.get("SMSBOT_WEB_SECRET", ""),
            "tile_url": env.get("SMSBOT_TILE_URL", TILE_URL),
            "bot_number": env.get("SMSBOT_NUMBER", BOT_NUMBER),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
