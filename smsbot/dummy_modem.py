"""Gammu's dummy driver: a real libGammu phone backed by a folder. Used by the demo, the
tests and the benchmarks instead of a mock."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = """[gammu]
device = {device}
connection = none
model = dummy
logfile = {logfile}
logformat = textall
"""


def write_config(folder: Path | str, name: str = "gammurc", log: str = "gammu.log") -> Path:
    """Create `folder/modem/` and a gammurc pointing at it (absolute paths), with Gammu's
    debug log at `folder/<log>` (it shows every recipient and text sent). Gammu empties its
    log at each Init, so a second connection to the same folder needs its own log."""
    folder = Path(folder).resolve()
    (folder / "modem").mkdir(parents=True, exist_ok=True)
    config = folder / name
    config.write_text(TEMPLATE.format(device=folder / "modem", logfile=folder / log))
    return config


def inbox_files(folder: Path | str) -> list[Path]:
    """SMS files still in the dummy modem's inbox folders (1 and 3)."""
    root = Path(folder).resolve() / "modem" / "sms"
    return [p for sub in ("1", "3") for p in sorted((root / sub).glob("*")) if p.is_file()]
