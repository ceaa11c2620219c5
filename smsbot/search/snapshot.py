"""The search index's snapshot: a restarted process starts from the last build, caught up by
catalog version (smsbot.search.index), instead of building the index again (seconds at city
scale). The file is a pickle beside a SQLite database, or in the user's cache folder for a
server database; it is always replaced whole, so a reader never sees half of one."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading
from pathlib import Path

log = logging.getLogger(__name__)
_SAVING = threading.Lock()


def path(session) -> Path:
    """Beside a SQLite database file; in the user's cache folder for a server database."""
    url = session.get_bind().url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).with_suffix(".index.pickle")
    name = hashlib.sha256(str(url).encode()).hexdigest()[:24]
    return Path.home() / ".cache" / "smsbot" / f"index-{name}.pickle"


def save(session, index) -> Path:
    """Write `index` where `read` finds it."""
    return _write(path(session), index)


def save_later(session, index) -> None:
    """Save a fresh build in the background (about half a second at city scale)."""
    target = path(session)

    def save_now():
        try:
            _write(target, index)
        except (OSError, pickle.PicklingError):
            log.warning("search index snapshot not saved", exc_info=True)
    # not a daemon thread: a process that answers one SMS and exits (`smsbot chat`) still
    # leaves the snapshot for the next start
    threading.Thread(target=save_now, name="index-snapshot").start()


def read(session) -> object | None:
    """What was saved for this session's database, or None (no file, or not readable); the
    index checks it is an index of this database's past."""
    try:
        with open(path(session), "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None


def _write(target: Path, index) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}")
    with _SAVING, index._lock:  # no catch-up rewrites slots while they are written out
        with open(partial, "wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)
    return target
