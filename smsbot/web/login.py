"""Login by phone number and a one-time code sent by SMS through the bot's own outbox."""

from __future__ import annotations

routes: list = []
