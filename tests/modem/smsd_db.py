"""A gammu-smsd SQL database for tests: created from the SQL file Debian's gammu-smsd ships
(the schema version the installed smsd checks), on the PostgreSQL test cluster."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, select, text, update

from smsbot.modem.transport import smsd_schema as schema

SQL_FILES = (Path("/usr/share/doc/gammu-smsd/examples/pgsql.sql"),)


# gammu-smsd's log and every throughput knob (no status checks, no sleeps): the tests and
# scripts/bench_smsd.py run it the same way
KNOBS = """logfile = {log}
debuglevel = 4
checksecurity = 0
checkbattery = 0
checksignal = 0
checknetwork = 0
statusfrequency = 0
loopsleep = 0
commtimeout = 0
receivefrequency = 0
"""
DUMMY_PHONE = """device = {modem}
connection = none
model = dummy
"""


def sql_smsdrc(url: str, phone: str, log: Path, phoneid: str | None = None) -> str:
    """An smsdrc for gammu-smsd's PostgreSQL backend on `url`'s database; `phone` is the
    [gammu] section's connection lines (DUMMY_PHONE, or the AT emulator's)."""
    from sqlalchemy.engine import make_url

    parts = make_url(url)
    return (f"[gammu]\n{phone}logformat = textall\n\n[smsd]\nservice = sql\n"
            f"driver = native_pgsql\nhost = {parts.host}:{parts.port or 5432}\n"
            f"user = {parts.username or 'postgres'}\npassword = {parts.password or ''}\n"
            f"database = {parts.database}\n" + (f"phoneid = {phoneid}\n" if phoneid else "")
            + KNOBS.format(log=log))


def create(prefix: str = "smsd") -> tuple[str, callable]:
    """(url of a fresh smsd database, drop function); skips without PostgreSQL or the SQL."""
    import pytest

    server = os.environ.get("SMSBOT_TEST_PG", "")
    if not server or server == "none":
        pytest.skip("no PostgreSQL test cluster (scripts/test starts one; SMSBOT_TEST_PG)")
    if sql_file() is None:
        pytest.skip("gammu-smsd's pgsql.sql is not installed (apt-get install gammu-smsd)")
    return create_database(server, prefix)


def sql_file() -> Path | None:
    return next((p for p in SQL_FILES if p.exists()), None)


def create_database(server: str, prefix: str = "smsd") -> tuple[str, callable]:
    """A new database on the PostgreSQL `server` (a URL) with smsd's tables, from the SQL
    file of the installed gammu-smsd; returns (its url, a function that drops it)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    engine = create_engine(url)
    # plpgsql is built in since PostgreSQL 9: the file's CREATE LANGUAGE would fail
    ddl = sql_file().read_text().replace("CREATE LANGUAGE plpgsql;", "")
    with engine.begin() as connection:
        connection.exec_driver_sql(ddl)
    engine.dispose()

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


class FakeSmsd:
    """What gammu-smsd does to its tables, for the tests that need no phone: store an
    incoming SMS the way sql.c does, send (move outbox rows to sentitems)."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url)

    def empty(self) -> None:
        """Back to a fresh database (one per test module: creating one takes seconds)."""
        with self.engine.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS smsbot_inbox_cursor")
            c.exec_driver_sql("TRUNCATE inbox, outbox, outbox_multipart, sentitems "
                              "RESTART IDENTITY")

    def receive(self, sender: str, text: str, parts: int = 1, reference: int = 7,
                phone: str = "") -> None:
        with self.engine.begin() as c:
            for n in range(1, parts + 1):
                udh = f"050003{reference:02X}{parts:02X}{n:02X}" if parts > 1 else ""
                c.exec_driver_sql(
                    'INSERT INTO inbox ("SenderNumber", "TextDecoded", "UDH", "Text", '
                    '"RecipientID") VALUES (%(sender)s, %(text)s, %(udh)s, \'\', %(phone)s)',
                    {"sender": sender, "text": text if n == 1 else "", "udh": udh,
                     "phone": phone})

    def outbox(self) -> list:
        with self.engine.connect() as c:
            return c.execute(select(schema.outbox).order_by(schema.outbox.c.ID)).all()

    def multipart(self) -> list:
        with self.engine.connect() as c:
            return c.execute(select(schema.outbox_multipart)).all()

    def send_all(self, status: str = "SendingOK") -> int:
        """Move every outbox message to sentitems with `status`, as smsd does."""
        moved = 0
        with self.engine.begin() as c:
            for row in c.execute(select(schema.outbox)).all():
                parts = [(1, row.TextDecoded, row.UDH)] + [
                    (p.SequencePosition, p.TextDecoded, p.UDH) for p in c.execute(
                        select(schema.outbox_multipart).where(
                            schema.outbox_multipart.c.ID == row.ID))]
                for position, part_text, udh in parts:
                    c.exec_driver_sql(
                        'INSERT INTO sentitems ("ID", "SequencePosition", "Status", "Text", '
                        '"UDH", "TextDecoded", "DestinationNumber", "SenderID", "CreatorID") '
                        "VALUES (%(id)s, %(pos)s, %(status)s, '', %(udh)s, %(text)s, %(to)s, "
                        "'', %(creator)s)",
                        {"id": row.ID, "pos": position, "status": status, "udh": udh or "",
                         "text": part_text, "to": row.DestinationNumber,
                         "creator": row.CreatorID})
                c.exec_driver_sql('DELETE FROM outbox_multipart WHERE "ID" = %(id)s', {"id": row.ID})
                c.exec_driver_sql('DELETE FROM outbox WHERE "ID" = %(id)s', {"id": row.ID})
                moved += 1
        return moved

    def report(self, smsd_id: int, status: str) -> None:
        with self.engine.begin() as c:
            c.execute(update(schema.sentitems).where(schema.sentitems.c.ID == smsd_id)
                      .values(Status=status))

    def sentitems(self) -> list:
        with self.engine.connect() as c:
            return c.execute(select(schema.sentitems).order_by(
                schema.sentitems.c.ID, schema.sentitems.c.SequencePosition)).all()

    def close(self) -> None:
        self.engine.dispose()
