"""Where the data folders are: the top-level `grammar/` and `db/` of a source checkout, or
their copies inside the installed wheel (`smsbot/grammar_data`, `smsbot/dbdata`)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def grammar_root() -> Path:
    if (_CHECKOUT / "grammar" / "common.toml").is_file():
        return _CHECKOUT / "grammar"
    return _PACKAGE / "grammar_data"


def db_root() -> Path:
    if (_CHECKOUT / "db" / "seed").is_dir():
        return _CHECKOUT / "db"
    return _PACKAGE / "dbdata"


def seed_file(name: str) -> Path:
    return db_root() / "seed" / name
