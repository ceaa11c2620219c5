"""The search index's snapshot: a restarted process starts from the last build, caught up by
catalog version (smsbot.search.index), instead of building the index again (seconds at city
scale). The file is beside a SQLite database, or in the user's cache folder for a server
database; it is always replaced whole, so a reader never sees half of one.

It holds the index's columns (`Index.columns`) as few, large objects, because reading a
city's snapshot costs what its objects cost, not its bytes: a list of strings is one string
joined by NUL, a dict of posting arrays (word -> product positions) is its words, their
lengths and one array. A city's index is then read in a few tenths of a second and written
without a pickler's memo of a million strings."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading
from pathlib import Path

import numpy as np

from smsbot.search.bulk import gc_paused

log = logging.getLogger(__name__)
MAGIC = b"smsbot search index, columns 1\n"  # another layout (or the old whole pickle) is not read
SEPARATOR = "\x00"
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
    return write(path(session), index)


def save_later(session, index) -> None:
    """Save a fresh build in the background (a fraction of a second at city scale)."""
    target = path(session)

    def save_now():
        try:
            write(target, index)
        except (OSError, pickle.PicklingError):
            log.warning("search index snapshot not saved", exc_info=True)
    # not a daemon thread, even when started from one (a thread inherits that): a process
    # that answers one SMS and exits (`smsbot chat`) still leaves the snapshot behind
    threading.Thread(target=save_now, name="index-snapshot", daemon=False).start()


def read(session) -> dict | None:
    """The columns saved for this session's database, or None (no file, another layout, or
    not readable); the index checks they are of this database's past."""
    return read_file(path(session))


def read_file(target: Path) -> dict | None:
    try:
        with open(target, "rb") as handle:
            if handle.read(len(MAGIC)) != MAGIC:
                return None
            with gc_paused():
                return _unpack_all(pickle.load(handle))
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError,
            KeyError, IndexError):
        return None


def write(target: Path, index) -> Path:
    """The index's columns into `target`, replaced whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}")
    with _SAVING:
        with index._lock:  # no catch-up rewrites a column while it is copied
            columns = index.columns()
        packed = _pack_all(columns)
        del columns
        with open(partial, "wb") as handle:
            handle.write(MAGIC)
            pickle.dump(packed, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)
    return target


def _pack_all(columns: dict) -> dict:
    return {name: _pack(value) for name, value in columns.items()}


def _unpack_all(packed: dict) -> dict:
    return {name: _unpack(value) for name, value in packed.items()}


def _pack(value):
    """A column as few objects: ("repeated", distinct strings joined, which one each),
    ("strings", joined, count), ("arrays", words joined, lengths, data), or ("as is", value)."""
    if isinstance(value, list) and value:
        if _repeats(value):
            distinct = {v: i for i, v in enumerate(dict.fromkeys(value))}
            if 2 * len(distinct) <= len(value):
                joined = _joined(list(distinct))  # names that repeat are read as one string each
                if joined is not None:
                    return ("repeated", joined, np.fromiter(
                        map(distinct.__getitem__, value), dtype=np.int64, count=len(value)))
        joined = _joined(value)
        if joined is not None:
            return ("strings", joined, len(value))
    if isinstance(value, dict) and value:
        joined = _joined(list(value))
        arrays = list(value.values())
        if joined is not None and all(isinstance(v, np.ndarray) and v.ndim == 1 for v in arrays):
            lengths = np.fromiter((v.size for v in arrays), dtype=np.int64, count=len(arrays))
            return ("arrays", joined, lengths, np.concatenate(arrays))
    return ("as is", value)


def _repeats(values: list, sample: int = 1000) -> bool:
    """Whether a column's values look repeated, by its first ones (codes never are)."""
    head = values[:sample]
    try:
        return 2 * len(set(head)) <= len(head)
    except TypeError:  # not hashable: not strings
        return False


def _joined(strings: list) -> str | None:
    """The strings as one, or None when they are not all strings or one holds the separator."""
    try:
        joined = SEPARATOR.join(strings)
    except TypeError:
        return None
    return joined if joined.count(SEPARATOR) == len(strings) - 1 else None


def _unpack(packed):
    kind = packed[0]
    if kind == "strings":
        values = packed[1].split(SEPARATOR)
        if len(values) != packed[2]:
            raise ValueError("a column of strings lost some")
        return values
    if kind == "repeated":
        distinct = packed[1].split(SEPARATOR)
        which = packed[2]
        if which.size and int(which.max()) >= len(distinct):
            raise ValueError("a column of strings lost some")
        return [distinct[i] for i in which.tolist()]
    if kind == "arrays":
        _kind, joined, lengths, data = packed
        data.flags.writeable = False  # each word's array is a view: a change replaces it
        ends = np.cumsum(lengths).tolist()
        starts = [0, *ends[:-1]]
        words = joined.split(SEPARATOR)
        if len(words) != len(ends) or (ends and ends[-1] != data.size):
            raise ValueError("a column of arrays lost some")
        return {w: data[a:b] for w, a, b in zip(words, starts, ends)}
    if kind == "as is":
        return packed[1]
    raise ValueError(f"unknown column kind {kind!r}")
