"""The gammurc that points Gammu at an emulator directory, and recognising one."""
from __future__ import annotations

import configparser
import os
import shlex
import sys
from pathlib import Path

from . import profiles, state as st

MODULE = "smsbot.modem.emulator"


# The source tree this module lives in (emulator -> modem -> smsbot -> root).
SOURCE_ROOT = Path(__file__).resolve().parents[3]


def device_command(directory: str | os.PathLike, python: str | None = None) -> str:
    """The proxyat device line. Gammu runs it as `$SHELL -c "exec <line>"` (proxy.c), so each
    word is shell-quoted. `-P` and PYTHONPATH pin the emulator to this source tree: Gammu starts
    it in the client's working directory, and a checkout there with its own `smsbot` package
    would otherwise shadow this one."""
    python = python or sys.executable
    words = ("env", f"PYTHONPATH={SOURCE_ROOT}", os.path.abspath(python), "-P", "-m", MODULE,
             str(Path(directory).resolve()))
    return " ".join(shlex.quote(w) for w in words)


def gammurc_text(directory, model: str = "generic", connection: str = "proxyat",
                 device: str | None = None) -> str:
    directory = Path(directory).resolve()
    profile = profiles.get(model)
    return (
        f"# Emulated {profile.name} modem ({MODULE}); state in {directory}\n"
        f"# `model = at` forces Gammu's AT driver; the modem's quirks come from its AT+CGMM\n"
        f"# answer ({profile.model!r}), as with a real one.\n"
        "[gammu]\n"
        f"device = {device or device_command(directory)}\n"
        f"connection = {connection}\n"
        f"model = {profile.gammu_model}\n"
        f"logfile = {directory / 'gammu.log'}\n"
        "logformat = textall\n"
    )


def init_dir(directory, model: str = "generic", sim_capacity: int | None = None) -> Path:
    """Create DIR, its state (profile, storage numbering) and DIR/gammurc; returns the gammurc."""
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    profile = profiles.get(model)
    with st.transaction(directory) as s:
        s["model"] = profile.name
        if not s["sim"] and not s["me"]:
            s["index_base"] = profile.index_base
        if sim_capacity is not None:
            s["sim_capacity"] = int(sim_capacity)
    rc = directory / "gammurc"
    rc.write_text(gammurc_text(directory, model))
    return rc


def emulator_dir(gammurc: str | os.PathLike) -> Path | None:
    """The emulator directory a gammurc drives (proxyat command line or a pty it created), or
    None when the file configures something else."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(gammurc, encoding="utf-8")
        device = parser.get("gammu", "device", fallback="").strip()
    except configparser.Error:
        return None
    words = shlex.split(device) if device else []
    if MODULE in words:
        rest = [w for w in words[words.index(MODULE) + 1:] if not w.startswith("-")]
        return Path(rest[0]) if rest else None
    here = Path(gammurc).resolve().parent
    for candidate in [here / "pty", *here.glob("*/pty")]:   # --pty writes DIR/pty
        if candidate.is_file() and candidate.read_text().strip() == device:
            return candidate.parent
    return None


def is_emulator_config(gammurc: str | os.PathLike) -> bool:
    return emulator_dir(gammurc) is not None
