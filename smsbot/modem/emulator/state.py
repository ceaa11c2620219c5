"""The emulator's state, kept in files in its directory so it outlives the process.

Gammu restarts the emulator at every Init and a client may be killed with -9, so nothing that
matters lives only in memory. `DIR/state.json` holds the storages and counters; every change is
made under an fcntl lock on `DIR/.lock` and written atomically (temp file + os.replace),
because `inbox.deliver_*` may write from another process while the emulator runs.

Storage layout (`state.json`):

    {"sim": {"<index>": {"pdu": hex, "stat": 0..3}}, "me": {...},
     "sim_capacity": 30, "me_capacity": 100, "index_base": 1,
     "pending": [{"pdu": hex, "stat": 0}],          # waiting "at the network" for space
     "scheduled": [{"due": epoch, "pdu": hex}],      # status reports not yet arrived
     "next_mr": 0, "send_attempts": 0, "registered": true,
     "balance": "...", "ussd": {"*888#": "..."}}

stat is the +CMGL <stat>: 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from pathlib import Path

STATE_FILE = "state.json"
FAULTS_FILE = "faults.json"
SENT_FILE = "sent.jsonl"
LOG_FILE = "emulator.log"
LOCK_FILE = ".lock"

MEMORIES = ("sim", "me")          # delivery order: SIM first, then phone
AT_NAMES = {"sim": "SM", "me": "ME"}

DEFAULT_BALANCE = "Sisa pulsa Anda Rp12.345. Aktif s/d 31-12-2026."


def default_state() -> dict:
    return {
        "sim": {}, "me": {}, "sim_capacity": 30, "me_capacity": 100, "index_base": 1,
        "pending": [], "scheduled": [], "next_mr": 0, "send_attempts": 0,
        "registered": True, "balance": DEFAULT_BALANCE, "ussd": {},
    }


def write_json_atomic(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


_held: dict[str, int] = {}


@contextlib.contextmanager
def locked(directory: str | os.PathLike):
    """Exclusive lock on the directory's state (blocks other processes; re-entrant within one,
    since flock on a second descriptor of the same file would deadlock the process)."""
    directory = Path(directory)
    key = str(directory.resolve())
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_FILE, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        _held[key] = 1
        try:
            yield
        finally:
            _held[key] = 0
            fcntl.flock(fh, fcntl.LOCK_UN)


def load(directory: str | os.PathLike) -> dict:
    path = Path(directory) / STATE_FILE
    state = default_state()
    try:
        state.update(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        pass
    return state


def save(directory: str | os.PathLike, state: dict) -> None:
    write_json_atomic(Path(directory) / STATE_FILE, state)


@contextlib.contextmanager
def transaction(directory: str | os.PathLike):
    """Lock, load, yield the state dict, save it (only when the block did not raise)."""
    with locked(directory):
        state = load(directory)
        before = json.dumps(state, sort_keys=True)
        yield state
        if json.dumps(state, sort_keys=True) != before or not (Path(directory) / STATE_FILE).exists():
            save(directory, state)


# --- storage operations on a loaded state dict -------------------------------------------

def capacity(state: dict, mem: str, faults: dict | None = None) -> int:
    if mem == "sim" and faults and faults.get("sim_full"):
        return len(state["sim"])
    return int(state[f"{mem}_capacity"])


def free_index(state: dict, mem: str, faults: dict | None = None) -> int | None:
    base = int(state["index_base"])
    used = state[mem]
    if len(used) >= capacity(state, mem, faults):
        return None
    for index in range(base, base + int(state[f"{mem}_capacity"])):
        if str(index) not in used:
            return index
    return None


def store(state: dict, pdu_hex: str, stat: int = 0, faults: dict | None = None,
          memories=MEMORIES) -> tuple[str, int] | None:
    """Put a message in the first memory with room; None when all are full."""
    for mem in memories:
        index = free_index(state, mem, faults)
        if index is not None:
            state[mem][str(index)] = {"pdu": pdu_hex.upper(), "stat": stat}
            return mem, index
    return None


def flush_pending(state: dict, faults: dict | None = None, now: float | None = None) -> list[tuple[str, int]]:
    """Move due status reports and waiting messages into storage while there is room."""
    now = time.time() if now is None else now
    due = [s for s in state["scheduled"] if s["due"] <= now]
    if due:
        state["scheduled"] = [s for s in state["scheduled"] if s["due"] > now]
        state["pending"].extend({"pdu": s["pdu"], "stat": 0} for s in due)
    stored = []
    while state["pending"]:
        where = store(state, state["pending"][0]["pdu"], state["pending"][0].get("stat", 0), faults)
        if where is None:
            break
        state["pending"].pop(0)
        stored.append(where)
    return stored


def load_faults(directory: str | os.PathLike) -> dict:
    try:
        data = json.loads((Path(directory) / FAULTS_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def update_faults(directory: str | os.PathLike, changes: dict) -> dict:
    """Merge `changes` into faults.json (a None value removes the key); returns the result."""
    with locked(directory):
        faults = load_faults(directory)
        for key, value in changes.items():
            if value is None:
                faults.pop(key, None)
            else:
                faults[key] = value
        write_json_atomic(Path(directory) / FAULTS_FILE, faults)
        return faults
