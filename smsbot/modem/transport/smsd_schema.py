"""gammu-smsd's SQL tables, as much of them as smsbot reads and writes.

Checked against Gammu's docs/sql/pgsql.sql and mysql.sql (schema 17, Gammu 1.42 as Debian
ships it; 18 from Gammu 1.44 adds inbox.MessageID/SequencePosition/PartCount and
outbox.SendDays, which smsbot leaves at their defaults) and smsd/services/sql.c:

- smsd INSERTs each part of an incoming SMS as one `inbox` row (UDH in hex); the first part's
  `TextDecoded` holds the whole decoded text and the other parts' is empty. It never updates
  `inbox`; `Processed` belongs to other readers (Kalkun's daemon sets it).
- smsd sends `outbox` rows by `Priority DESC, InsertIntoDB ASC` whose `SendAfter <= now <=
  SendBefore` (the database server's clock) and whose `SenderID` is empty or its PhoneID. A
  multipart message keeps part 1 in `outbox` (`MultiPart` true) and parts 2.. in
  `outbox_multipart` (same `ID`, `SequencePosition` from 2). When `Text` is empty smsd encodes
  `TextDecoded` with `Coding`.
- Sent (or failed) messages move to `sentitems`, one row per part, same `ID`, with `Status`
  and the network's `TPMR`; delivery reports update `Status`/`DeliveryDateTime` there.
- smsd refuses a database whose `gammu.Version` is not its own; smsbot accepts 17 and 18.

`smsbot_inbox_cursor` is smsbot's own table in that database: the last inbox ID it stored,
per gateway name (its record of handled rows; Kalkun keeps `Processed` to itself).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

SUPPORTED_VERSIONS = (17, 18)

# sentitems.Status -> what it means for the message
SENT_OK = ("SendingOK", "SendingOKNoReport", "DeliveryPending", "DeliveryUnknown")
SEND_FAILED = ("SendingError", "Error")
DELIVERED = ("DeliveryOK",)
NOT_DELIVERED = ("DeliveryFailed",)



class SmsdBool(TypeDecorator):
    """A boolean on PostgreSQL, `enum('false','true')` on MySQL (where 1 would mean 'false',
    the enum's first value)."""

    impl = Boolean
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(String(5) if dialect.name == "mysql" else Boolean())

    def process_bind_param(self, value, dialect):
        if dialect.name == "mysql" and value is not None:
            return "true" if value else "false"
        return value


metadata = MetaData()

gammu_version = Table("gammu", metadata, Column("Version", Integer, primary_key=True))

inbox = Table(
    "inbox", metadata,
    Column("ID", Integer, primary_key=True),
    Column("ReceivingDateTime", DateTime),
    Column("SenderNumber", String(20)),
    Column("SMSCNumber", String(20)),
    Column("Coding", String(255)),
    Column("UDH", Text),
    Column("TextDecoded", Text),
    Column("RecipientID", Text),
)

outbox = Table(
    "outbox", metadata,
    Column("ID", Integer, primary_key=True),
    Column("DestinationNumber", String(20)),
    Column("TextDecoded", Text),
    Column("Coding", String(255)),
    Column("UDH", Text),
    Column("Class", Integer),
    Column("MultiPart", SmsdBool),
    Column("SenderID", String(255)),
    Column("CreatorID", Text),
    Column("Priority", Integer),
    Column("DeliveryReport", String(10)),
    Column("SendAfter", Time),
    Column("SendBefore", Time),
)

outbox_multipart = Table(
    "outbox_multipart", metadata,
    Column("ID", Integer, primary_key=True),
    Column("SequencePosition", Integer, primary_key=True),
    Column("TextDecoded", Text),
    Column("Coding", String(255)),
    Column("UDH", Text),
    Column("Class", Integer),
)

sentitems = Table(
    "sentitems", metadata,
    Column("ID", Integer, primary_key=True),
    Column("SequencePosition", Integer, primary_key=True),
    Column("Status", String(255)),
    Column("CreatorID", Text),
    Column("SendingDateTime", DateTime),
    Column("DeliveryDateTime", DateTime),
    Column("TPMR", Integer),
)

cursor = Table(
    "smsbot_inbox_cursor", metadata,
    Column("gateway", String(64), primary_key=True),
    Column("inbox_id", Integer, nullable=False),
)


class SchemaMismatch(Exception):
    """The database is not a gammu-smsd database smsbot knows."""


def check_version(connection: Connection) -> int:
    try:
        version = connection.execute(select(gammu_version.c.Version)).scalar()
    except Exception as exc:  # no table `gammu`: not an smsd database (or no rights)
        raise SchemaMismatch(f"no gammu-smsd tables here ({exc.__class__.__name__}: "
                             f"{str(exc).splitlines()[0]})") from exc
    if version not in SUPPORTED_VERSIONS:
        raise SchemaMismatch(f"gammu-smsd schema version {version}; smsbot knows "
                             f"{', '.join(map(str, SUPPORTED_VERSIONS))}")
    return version


def concatenation(udh_hex: str | None) -> tuple[int, int, int] | None:
    """(reference, total, position) from a concatenation UDH in hex (8- or 16-bit), else None."""
    try:
        udh = bytes.fromhex(udh_hex or "")
    except ValueError:
        return None
    if len(udh) == 6 and udh[1] == 0x00 and udh[2] == 3:
        return udh[3], udh[4], udh[5]
    if len(udh) == 7 and udh[1] == 0x08 and udh[2] == 4:
        return udh[3] << 8 | udh[4], udh[5], udh[6]
    return None
