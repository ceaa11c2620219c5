"""Command handlers: one small module per keyword, named by `handler` in its grammar file.

A handler is `handle(ctx, cmd)`: it reads and writes the store through ctx.session and
collects replies with ctx.reply/ctx.say (or returns the reply text). It never sends, never
sleeps and never commits; the caller commits once per inbound SMS.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

Handler = Callable[..., object]


def get(name: str) -> Handler:
    return import_module(f"{__name__}.{name}").handle
