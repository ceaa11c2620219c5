import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from smsbot.contacts import directory as contacts
from smsbot.contacts.phones import normalize
from smsbot.sim.seed import seed_demo
from smsbot.sms import language
from smsbot.store import engine as db
from smsbot.testing import Conversation

pytest_plugins = ["tests.browser"]  # headless Chromium fixtures for the web tests

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)  # 10:00 in Payakumbuh


def speaks_english(engine, *phones: str) -> None:
    """These contacts chose English (as `ENGLISH` does): every reply from now on is English."""
    with Session(engine) as session:
        for phone in phones:
            language.choose(contacts.get_or_create(session, normalize(phone), NOW), "en")
        session.commit()


def pytest_configure(config):
    config.addinivalue_line("markers", "backends: run these tests on SQLite and on PostgreSQL "
                            "($SMSBOT_TEST_PG, started by scripts/test)")
    config.addinivalue_line("markers", "slow: over ~20 s on 2 cores (chaos, benchmark peers, "
                            "the hostile sweep); CI runs them, `-m 'not slow'` skips them")


def pytest_collection_modifyitems(items):
    """The `slow` tests first (a stable sort: the rest keep their order). xdist hands tests out
    in this order, so the long ones start while both workers have plenty left, instead of one
    of them ending the run alone with a 30 s test."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request):
    return getattr(request, "param", "sqlite")


class Templates:
    """A migrated and a seeded database, made once per worker and backend, that a test's
    database is copied from: creating the tables, stamping Alembic and hashing the demo
    admin's PIN cost 0.15 s (SQLite) to 0.35 s (PostgreSQL) a test; a copy a few ms. The
    copy is what `make_engine` and `seed_demo` would have built (the same code built it)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: dict[tuple[str, str], str] = {}  # (backend, kind) -> file or database
        self.copies: dict[str, str] = {}  # database URL -> the kind it was copied from

    def sqlite(self, kind: str, target: Path) -> None:
        if ("sqlite", kind) not in self.made:
            path = self.folder / f"{kind}.db"
            self._build(f"sqlite:///{path}", kind)
            self.made["sqlite", kind] = str(path)
        shutil.copyfile(self.made["sqlite", kind], target)

    def postgresql(self, admin, server: str, kind: str) -> str:
        """The name of a template database of this kind (CREATE DATABASE ... TEMPLATE it)."""
        if ("postgresql", kind) not in self.made:
            name = f"smsbot_template_{kind}_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            self._build(server.rsplit("/", 1)[0] + "/" + name, kind)
            self.made["postgresql", kind] = name
        return self.made["postgresql", kind]

    @staticmethod
    def _build(url: str, kind: str) -> None:
        engine = db.make_engine(url)
        if kind == "seeded":
            seed_demo(engine, NOW)
        if url.startswith("sqlite"):
            with engine.connect() as connection:  # everything in the main file, to copy it
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()  # a template database takes no connections


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    server = os.environ.get("SMSBOT_TEST_PG", "")
    names = [name for (backend, _), name in made.made.items() if backend == "postgresql"]
    if names:
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _template_kind(request) -> str | None:
    """What the test's database will be: seeded (it uses `seeded`), migrated (`engine`) or
    empty (only `db_url`, e.g. the migration tests), chosen from the test's fixtures."""
    names = request.fixturenames
    return "seeded" if "seeded" in names else "migrated" if "engine" in names else None


@pytest.fixture
def db_url(backend, tmp_path, request, templates):
    """A fresh database on the test's backend: empty, or for a test that uses `engine` or
    `seeded`, a copy of a database migrated (and seeded) once (`Templates`)."""
    kind = _template_kind(request)
    if backend == "sqlite":
        path = tmp_path / "smsbot.db"
        url = f"sqlite:///{path}"
        if kind:
            templates.sqlite(kind, path)
            templates.copies[url] = kind
        yield url
        templates.copies.pop(url, None)
        return
    server = os.environ.get("SMSBOT_TEST_PG", "")
    if not server or server == "none":
        pytest.skip("no PostgreSQL test cluster (scripts/test starts one; SMSBOT_TEST_PG)")
    name = f"smsbot_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    template = f' TEMPLATE "{templates.postgresql(admin, server, kind)}"' if kind else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{template}'))
    url = server.rsplit("/", 1)[0] + "/" + name
    if kind:
        templates.copies[url] = kind
    yield url
    templates.copies.pop(url, None)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(db_url):
    engine = db.make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded(engine, db_url, templates):
    if templates.copies.get(db_url) != "seeded":
        seed_demo(engine, NOW)
    return engine


@pytest.fixture
def conversation(seeded):
    return Conversation(seeded)


@pytest.fixture
def cli_env(db_url):
    """Environment for running the `smsbot` command in a subprocess on a fresh database."""
    env = dict(os.environ)
    env["SMSBOT_DB"] = db_url
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def smsbot_here(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`smsbot ARGS` on env's $SMSBOT_DB, run through click in this process: the same command
    code, output and exit status as the installed script, without a second interpreter's ~1 s
    start. For tests whose point is what a command does; the scripting contract (import,
    contacts add, chat, run --until-idle, phone send, modem emulate) keeps subprocess tests."""
    from click.testing import CliRunner

    from smsbot.cli import main

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:  # `run` installs its stop handlers: give the test process its own back
        result = CliRunner().invoke(main, list(args), input=stdin,
                                    env={"SMSBOT_DB": env["SMSBOT_DB"]})
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback, as the subprocess would print
    return subprocess.CompletedProcess(["smsbot", *args], result.exit_code, result.stdout,
                                       result.stderr)


@pytest.fixture(scope="module")
def reader_engine(tmp_path_factory, templates):
    """One seeded database per module, for read-only tests (a copy of the seeded template)."""
    path = tmp_path_factory.mktemp("read") / "read.db"
    templates.sqlite("seeded", path)
    engine = db.make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def reader(reader_engine):
    """A conversation on the module's shared read-only database."""
    return Conversation(reader_engine)


def load_script(name: str):
    """Import scripts/<name>.py (a benchmark or the chaos run) as module `name`, once."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# -- the website ------------------------------------------------------------------------------
class WebClock:
    """A clock the test moves by hand: `web_clock.now += timedelta(minutes=6)`."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def web_clock():
    return WebClock(NOW)


@pytest.fixture
def web_app(seeded, tmp_path, web_clock):
    """The website on the seeded demo database, with a fixed clock and no map tiles."""
    from smsbot.web.app import create_app
    from smsbot.web.config import WebConfig

    config = WebConfig(tile_url="", bot_number="0812 0000 0000",
                       clock=web_clock)
    return create_app(seeded, config)


@pytest.fixture
def web(web_app):
    """An HTTP client for the website (starlette's TestClient, no network)."""
    from starlette.testclient import TestClient

    with TestClient(web_app, follow_redirects=False) as client:
        yield client
