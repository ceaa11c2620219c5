import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from smsbot import db
from smsbot.seed import seed_demo
from smsbot.testing import Conversation

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)  # 10:00 in Payakumbuh


@pytest.fixture
def engine(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'smsbot.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def seeded(engine):
    seed_demo(engine, NOW)
    return engine


@pytest.fixture
def conversation(seeded):
    return Conversation(seeded)


@pytest.fixture
def cli_env(tmp_path):
    """Environment for running the `smsbot` command in a subprocess on a fresh database."""
    env = dict(os.environ)
    env["SMSBOT_DB"] = f"sqlite:///{tmp_path / 'cli.db'}"
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env
