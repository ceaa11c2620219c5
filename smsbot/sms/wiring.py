"""Every keyword handler and every timer, in one visible list (aiogram's
`dp.include_routers(...)`): each domain exports its own `KEYWORDS` and `TIMERS`, and this
module includes them. Adding a keyword = a handler in its domain plus a grammar file."""

from __future__ import annotations

from typing import Callable

from smsbot.broadcasts import handlers as broadcast_keywords, runs as broadcast_runs
from smsbot.catalog import handlers as catalog_keywords
from smsbot.crm import handlers as crm_keywords, tickets
from smsbot.orders import handlers as order_keywords, timers as order_timers
from smsbot.search import handlers as search_keywords
from smsbot.sms import handlers as common_keywords

Handler = Callable[..., object]


def include(*keyword_maps: dict[str, Handler]) -> dict[str, Handler]:
    """Merge the domains' keyword maps; a name claimed twice is a wiring bug."""
    merged: dict[str, Handler] = {}
    for keywords in keyword_maps:
        for name, handler in keywords.items():
            if name in merged:
                raise ValueError(f"handler {name!r} is defined by two domains")
            merged[name] = handler
    return merged


HANDLERS: dict[str, Handler] = include(
    common_keywords.KEYWORDS,
    search_keywords.KEYWORDS,
    catalog_keywords.KEYWORDS,
    order_keywords.KEYWORDS,
    crm_keywords.KEYWORDS,
    broadcast_keywords.KEYWORDS,
)

# Timers in the order they run: (session, now) -> list[Reply].
TIMERS = [*order_timers.TIMERS, *tickets.TIMERS, *broadcast_runs.TIMERS]
