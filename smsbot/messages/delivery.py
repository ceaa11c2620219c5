"""Delivery reports: the network's word on an SMS we sent.

With `smsbot run --delivery-reports` every SMS asks for an SMS-STATUS-REPORT. A report
arrives like an SMS; ingest stores it (never answers it) and `record` writes its outcome on
the outbox row it is about. The modem gave that row a message reference (0-255, so they
repeat) when it sent it: the row is the newest `sent` one on the same modem with that
reference and, when the report's number can be read, the same recipient.

A multipart SMS has one reference, and one report, per part: any failed part makes the
row `failed`; a delivered part makes it `delivered` unless a part failed.
Indonesian operators' reports are unreliable (late, missing), so none of this is on by
default and nothing waits for a report.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from smsbot.clock import to_db
from smsbot.messages.answerable import network_number
from smsbot.messages.models import OutboxMessage
from smsbot.modem.transport.base import DeliveryReport

DELIVERED, FAILED = "delivered", "failed"


def record(connection: Connection, recipient: str, report: DeliveryReport, modem: str,
           now: datetime) -> str:
    """Write `report` on its outbox row (in the caller's transaction); returns the note to
    keep with the stored report."""
    table = OutboxMessage
    ref = str(report.reference)
    query = (select(table.id).where(
                table.status == "sent",
                or_(table.modem_ref == ref, table.modem_ref.like(f"{ref},%"),
                    table.modem_ref.like(f"%,{ref}"), table.modem_ref.like(f"%,{ref},%")))
             .order_by(table.sent_at.desc(), table.id.desc()).limit(1))
    if modem:
        query = query.where(table.modem == modem)
    phone = network_number(recipient)
    if phone:
        query = query.where(table.to == phone)
    row_id = connection.execute(query).scalar()
    about = f"status report ({report.outcome}, TP-Status 0x{report.code:02x}, reference {ref})"
    if row_id is None:
        return f"not answered: {about}; no sent SMS matches it"
    if report.outcome in (DELIVERED, FAILED):
        statement = update(table).where(table.id == row_id)
        if report.outcome == DELIVERED:  # a failed part stays failed
            statement = statement.where(or_(table.delivery.is_(None),
                                            table.delivery != FAILED))
        connection.execute(statement.values(delivery=report.outcome,
                                            delivery_at=to_db(report.at or now)))
    return f"not answered: {about} on outbox #{row_id}"


def delivered_share(session: Session, broadcast_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per broadcast: (delivered, rows with a report)."""
    table = OutboxMessage
    rows = session.execute(
        select(table.broadcast_id, table.delivery, func.count())
        .where(table.broadcast_id.in_(broadcast_ids), table.delivery.is_not(None))
        .group_by(table.broadcast_id, table.delivery)).all()
    share: dict[int, tuple[int, int]] = {}
    for broadcast_id, outcome, count in rows:
        delivered, reported = share.get(broadcast_id, (0, 0))
        share[broadcast_id] = (delivered + (count if outcome == DELIVERED else 0),
                               reported + count)
    return share
