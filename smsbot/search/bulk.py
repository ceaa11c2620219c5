"""Making a million small objects at once (an index build or a snapshot read) with the
cyclic garbage collector paused: it would walk every one of them again and again while
they are made (about 40% of a city build's time), and none of them forms a cycle.

What was made is then frozen (moved out of the collector's sight, `gc.freeze`) when it is
large: otherwise the first collection after the pause would walk it all at once, in the
middle of someone's CARI."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FREEZE_FROM = 200_000  # objects made during the pause: fewer are quicker to collect once
_LOCK = threading.Lock()
_state = {"depth": 0, "enabled": False, "objects": 0}


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside (nested or from several threads: the outermost ends it)."""
    with _LOCK:
        if not _state["depth"]:
            _state["enabled"] = gc.isenabled()
            _state["objects"] = gc.get_count()[0]
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _state["depth"] -= 1
            if not _state["depth"] and _state["enabled"]:
                if gc.get_count()[0] - _state["objects"] >= FREEZE_FROM:
                    gc.freeze()
                gc.enable()
