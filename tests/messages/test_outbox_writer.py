"""One writer of outbox rows: smsbot/messages/outbox.py. A second writer skips the gate
(GSM-7, at most 2 segments per SMS, numbered pages), as the broadcast expansion once did."""

import ast
import re
from pathlib import Path

import smsbot

PACKAGE = Path(smsbot.__file__).resolve().parent
WRITER = PACKAGE / "messages" / "outbox.py"
RAW_INSERT = re.compile(r"insert\s+into\W+outboxmessage\b", re.IGNORECASE)


def writes_to_outbox(source: str) -> list[str]:
    """What in `source` could put a row into the outbox table: building an OutboxMessage
    (added to a session, it is inserted), any use of its Table (`insert(table)`,
    `table.insert()`, `bulk_insert_mappings`), an ORM bulk insert of the class, or SQL
    text inserting into the table."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "OutboxMessage":
            found.append(f"{line}: builds an OutboxMessage row")
        elif isinstance(node, ast.Attribute) and node.attr == "__table__" \
                and isinstance(node.value, ast.Name) and node.value.id == "OutboxMessage":
            found.append(f"{line}: uses OutboxMessage's Table")
        elif isinstance(node, ast.Call) and (
                getattr(node.func, "id", "") == "insert"
                or getattr(node.func, "attr", "") in ("insert", "bulk_insert_mappings",
                                                      "bulk_save_objects")) \
                and "OutboxMessage" in ast.unparse(node):
            found.append(f"{line}: inserts OutboxMessage")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and RAW_INSERT.search(node.value):
            found.append(f"{line}: INSERT INTO outboxmessage in SQL text")
    return found


def test_only_the_outbox_module_writes_outbox_rows():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert WRITER in modules and len(modules) > 50
    writers = {str(path.relative_to(PACKAGE)): hits for path in modules
               if path != WRITER and (hits := writes_to_outbox(path.read_text()))}
    assert writers == {}
    assert writes_to_outbox(WRITER.read_text())  # the scan does see the real writer


def test_the_scan_catches_each_way_of_writing_a_row():
    """The old broadcast writer (its own bulk INSERT), and the other ways one could."""
    old_broadcast_writer = '''
table = OutboxMessage.__table__
compiled = insert(table).values({n: bindparam(n) for n in names})
'''
    for source in (old_broadcast_writer,
                   "session.add(OutboxMessage(to=phone, text=text, created_at=now))",
                   "session.execute(insert(OutboxMessage), rows)",
                   "session.execute(sqlalchemy.insert(OutboxMessage).values(to=phone))",
                   "session.bulk_insert_mappings(OutboxMessage, rows)",
                   "connection.exec_driver_sql('INSERT INTO outboxmessage (to) VALUES (?)')",
                   'text(\'insert into "outboxmessage" values (:x)\')'):
        assert writes_to_outbox(source), source
    for harmless in ("session.exec(select(OutboxMessage).where(OutboxMessage.to == p))",
                     "HOSTILE = \"Robert'); DELETE FROM outboxmessage;--\""):
        assert writes_to_outbox(harmless) == [], harmless
