"""A running gammu-smsd as the modem: smsbot reads its SQL `inbox` and writes its `outbox`.

For offices that already run gammu-smsd (often with Kalkun) and will not unplug it:
`smsbot run --smsd postgresql+psycopg://smsd@host/smsd [--smsd-phone ID]`. The daemon drives
this like any transport (smsbot.modem.transport.base); the tables are in smsd_schema.

- receive: inbox rows after smsbot's cursor (one message per SMS: smsd stores each part of a
  long SMS as a row, the whole text on part 1). `uid` is the inbox ID, so a row read twice
  (a crash before the cursor moved) is the same dedupe key: stored and answered once.
- delete: moves the cursor (`smsbot_inbox_cursor`) past the rows of a stored message. The
  inbox rows themselves are left alone, and so is `Processed` (Kalkun's flag).
- send: one `outbox` row (+ `outbox_multipart` for parts 2..) in one transaction, split by
  the same GSM-7/UCS-2 encoder as the modem; `Priority` is the outbox row's priority (smsd
  sends higher first), `CreatorID` is `smsbot#<outbox id>`. A reply re-sent after a crash
  between this INSERT and the `sent` commit finds its earlier row by `CreatorID` and does not
  queue it twice. Broadcasts carry the open hours as `SendAfter`/`SendBefore`, so smsd
  also holds them through quiet hours (its clock is the database server's: run that in the
  shop's time zone, as smsd itself needs). Returns the smsd ID: the row's `modem_ref`.
- What smsd did comes back from `sentitems` at each receive: SendingError -> the row
  `failed`; DeliveryOK / DeliveryFailed -> `delivery` delivered / failed.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from sqlalchemy import and_, create_engine, func, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from smsbot.clock import to_db, utcnow
from smsbot.messages import outbox as outbox_rows
from smsbot.messages.gsm7 import encode_parts
from smsbot.messages.models import OutboxMessage
from smsbot.modem.transport import smsd_schema as schema
from smsbot.modem.transport.base import BINARY, TEXT, IncomingSMS, TransportError

log = logging.getLogger(__name__)

WATCH_FOR = timedelta(days=2)  # how long a sent row waits for smsd's word on it
RECENT_SENTITEMS = 5000  # how far back a re-send looks for its own earlier sentitems row


class SmsdSqlTransport:
    def __init__(self, url: str, engine: Engine, *, name: str = "smsd", phone: str = "",
                 delivery_reports: bool = False, quiet_hours: tuple[time, time] | None = None,
                 batch: int = 500, clock=utcnow):
        self.name = name
        self.url = url
        self.engine = engine  # smsbot's own store
        self.phone = phone
        self.delivery_reports = delivery_reports
        self.quiet_hours = quiet_hours
        self.batch = batch
        self.clock = clock
        self.smsd: Engine | None = None
        self.version = 0
        self._cursor = 0
        self._read: list[int] = []  # inbox IDs of the last receive, in order
        self._done: set[int] = set()
        self._watch: dict[int, tuple[int, int]] = {}  # smsd ID -> (outbox id, parts)

    # -- connection ------------------------------------------------------------------
    def open(self) -> "SmsdSqlTransport":
        if self.smsd is None:
            self.smsd = create_engine(self.url, pool_pre_ping=True)
        try:
            with self.smsd.begin() as connection:
                self.version = schema.check_version(connection)
                schema.cursor.create(connection, checkfirst=True)
                self._cursor = self._load_cursor(connection)
        except schema.SchemaMismatch as exc:  # retried with backoff, like a modem not there
            raise TransportError(f"gammu-smsd database: {exc}", link=True) from exc
        except Exception as exc:
            raise TransportError(f"gammu-smsd database unreachable: {exc}", link=True) from exc
        self._load_watch()
        return self

    def close(self) -> None:
        if self.smsd is not None:
            self.smsd.dispose()
            self.smsd = None

    def _db(self) -> Engine:
        if self.smsd is None:
            self.open()
        return self.smsd

    def _load_cursor(self, connection) -> int:
        """The last inbox ID handled; on the first start, the newest one: what the inbox held
        before smsbot came was answered by people (or Kalkun) already."""
        mine = schema.cursor.c.gateway == self.name
        found = connection.execute(select(schema.cursor.c.inbox_id).where(mine)).scalar()
        if found is not None:
            return found
        newest = connection.execute(select(func.max(schema.inbox.c.ID))).scalar() or 0
        connection.execute(insert(schema.cursor).values(gateway=self.name, inbox_id=newest))
        log.info("gammu-smsd gateway %s: first start; answering inbox rows after ID %d",
                 self.name, newest)
        return newest

    # -- inbound ---------------------------------------------------------------------
    def receive(self) -> list[IncomingSMS]:
        try:
            self._sync_sent()
            table = schema.inbox.c
            query = (select(table.ID, table.ReceivingDateTime, table.SenderNumber,
                            table.SMSCNumber, table.Coding, table.UDH, table.TextDecoded)
                     .where(table.ID > self._cursor).order_by(table.ID).limit(self.batch))
            if self.phone:
                query = query.where(table.RecipientID == self.phone)
            with self._db().connect() as connection:
                rows = connection.execute(query).all()
        except TransportError:
            raise
        except Exception as exc:
            raise TransportError(f"reading gammu-smsd's inbox failed: {exc}", link=True) from exc
        self._read = [row.ID for row in rows]
        self._done = set()
        messages: list[IncomingSMS] = []
        for row in rows:
            concat = schema.concatenation(row.UDH)
            if concat and concat[2] > 1 and not row.TextDecoded:
                self._done.add(row.ID)  # a later part: its text is on part 1's row
                if messages and messages[-1].sender == row.SenderNumber:
                    messages[-1].handle.append(row.ID)
                continue
            messages.append(IncomingSMS(
                sender=row.SenderNumber, text=row.TextDecoded or "",
                sent_at=_aware(row.ReceivingDateTime), smsc=row.SMSCNumber or "",
                parts=concat[1] if concat else 1, uid=f"smsd-inbox:{row.ID}", handle=[row.ID],
                kind=BINARY if row.Coding == "8bit" else TEXT))
        for sms in messages:  # a part's row stays unhandled until its message is stored
            self._done.difference_update(sms.handle[1:])
        if not messages:
            self._advance()
        return messages

    def delete(self, sms: IncomingSMS) -> None:
        """The message is stored in smsbot's database: move the cursor past it."""
        self._done.update(sms.handle)
        self._advance()

    def _advance(self) -> None:
        waiting = [row_id for row_id in self._read if row_id not in self._done]
        position = (waiting[0] - 1) if waiting else (self._read[-1] if self._read else 0)
        if position <= self._cursor:
            return
        try:
            with self._db().begin() as connection:
                connection.execute(update(schema.cursor)
                                   .where(schema.cursor.c.gateway == self.name)
                                   .values(inbox_id=position))
        except Exception as exc:
            raise TransportError(f"moving smsbot's inbox cursor failed: {exc}",
                                 link=True) from exc
        self._cursor = position

    # -- outbound --------------------------------------------------------------------
    def send(self, to: str, text: str, reference: int = 0) -> str:
        kind, priority, attempts = self._outbox_row(reference)
        creator = f"smsbot#{reference}"
        parts = [dict(part) for part in encode_parts(text)]
        if not parts:
            raise TransportError("nothing to send", permanent=True)
        if len(parts) > 1:  # the outbox id as concatenation reference, as on the modem
            for part in parts:
                udh = bytearray(part["UDH"]["Text"])
                udh[3] = reference & 0xFF
                part["UDH"] = {"Text": bytes(udh)}
        values = {
            "DestinationNumber": to, "CreatorID": creator, "SenderID": self.phone or None,
            "MultiPart": len(parts) > 1, "Priority": priority,
            "DeliveryReport": "yes" if self.delivery_reports else "no",
            **_part_values(parts[0]),
        }
        if kind == "broadcast" and self.quiet_hours:
            start, end = self.quiet_hours
            if end < start:  # quiet overnight: open from `end` to `start` the same day
                values.update(SendAfter=end, SendBefore=start)
        try:
            with self._db().begin() as connection:
                if attempts > 1:
                    earlier = self._queued_before(connection, creator)
                    if earlier is not None:
                        log.warning("outbox #%s is already smsd's #%s (queued before a crash)",
                                    reference, earlier)
                        self._watch[earlier] = (reference, len(parts))
                        return str(earlier)
                result = connection.execute(insert(schema.outbox).values(values))
                smsd_id = result.inserted_primary_key[0]
                for position, part in enumerate(parts[1:], start=2):
                    connection.execute(insert(schema.outbox_multipart).values(
                        ID=smsd_id, SequencePosition=position, **_part_values(part)))
        except Exception as exc:
            # a failed COMMIT may still have gone through: the re-send looks for it first
            raise TransportError(f"queueing on gammu-smsd failed: {exc}", link=True) from exc
        self._watch[smsd_id] = (reference, len(parts))
        return str(smsd_id)

    def _outbox_row(self, reference: int) -> tuple[str, int, int]:
        with Session(self.engine) as session:
            row = session.get(OutboxMessage, reference) if reference else None
            if row is None:
                return "reply", 0, 1
            return row.kind, row.priority, row.attempts

    def _queued_before(self, connection, creator: str) -> int | None:
        outbox = schema.outbox.c
        found = connection.execute(select(outbox.ID).where(outbox.CreatorID == creator)).scalar()
        if found is not None:
            return found
        sent = schema.sentitems.c
        newest = connection.execute(select(func.max(sent.ID))).scalar() or 0
        return connection.execute(select(sent.ID).where(
            sent.ID > newest - RECENT_SENTITEMS, sent.CreatorID == creator)).scalar()

    # -- what smsd did ---------------------------------------------------------------
    def _load_watch(self) -> None:
        since = to_db(self.clock() - WATCH_FOR)
        table = OutboxMessage
        with Session(self.engine) as session:
            rows = session.execute(select(table.id, table.modem_ref, table.segments).where(
                table.modem == self.name, table.status == OutboxMessage.SENT,
                table.delivery.is_(None), table.sent_at >= since)).all()
        self._watch = {int(ref): (row_id, parts) for row_id, ref, parts in rows
                       if ref and ref.isdigit()}

    def _sync_sent(self) -> None:
        """Bring sentitems' word on watched messages into smsbot's outbox rows."""
        if not self._watch:
            return
        sent = schema.sentitems.c
        ids = list(self._watch)[:self.batch]
        with self._db().connect() as connection:
            found = connection.execute(select(sent.ID, sent.Status, sent.DeliveryDateTime)
                                       .where(sent.ID.in_(ids))).all()
        statuses: dict[int, list] = {}
        for smsd_id, status, delivered_at in found:
            statuses.setdefault(smsd_id, []).append((status, delivered_at))
        now = self.clock()
        with Session(self.engine) as session:
            for smsd_id, parts in statuses.items():
                row_id, count = self._watch[smsd_id]
                done = _settle(session, row_id, parts, count, self.delivery_reports, now)
                if done:
                    del self._watch[smsd_id]
            session.commit()


def _part_values(part: dict) -> dict:
    udh = (part.get("UDH") or {}).get("Text") or b""
    return {"TextDecoded": part.get("Text") or "",
            "Coding": part.get("Coding") or "Default_No_Compression",
            "UDH": udh.hex().upper(), "Class": -1}


def _settle(session: Session, row_id: int, parts: list, count: int, reports: bool,
            now: datetime) -> bool:
    """Write what sentitems says on the outbox row; True when nothing more will come."""
    statuses = [status for status, _ in parts]
    if any(status in schema.SEND_FAILED for status in statuses):
        row = session.get(OutboxMessage, row_id)
        if row is not None and row.status == OutboxMessage.SENT:
            outbox_rows.mark_failed(session, row, f"gammu-smsd: {statuses[-1]}", now,
                                    permanent=True, commit=False)
        return True
    if any(status in schema.NOT_DELIVERED for status in statuses):
        _deliver(session, row_id, "failed", _latest(parts) or now)
        return True
    if len(parts) >= count and all(status in schema.DELIVERED for status in statuses):
        _deliver(session, row_id, "delivered", _latest(parts) or now)
        return True
    return len(parts) >= count and not reports


def _latest(parts: list) -> datetime | None:
    times = [_aware(at) for _, at in parts if at is not None]
    return max(times) if times else None


def _aware(moment: datetime | None) -> datetime | None:
    """smsd writes local times without a zone (the machine's clock, like its own)."""
    return moment.astimezone() if moment is not None and moment.tzinfo is None else moment


def _deliver(session: Session, row_id: int, outcome: str, at: datetime) -> None:
    table = OutboxMessage
    session.execute(update(table).where(table.id == row_id, or_(
        table.delivery.is_(None), and_(table.delivery != "failed")))
        .values(delivery=outcome, delivery_at=to_db(at)))
