"""Inbound SMS are stored with one Core INSERT per batch:
the rows hold exactly what the ORM rows held, ids match, duplicates stay out."""

from datetime import timedelta

from sqlmodel import Session, select

from smsbot.clock import to_db
from smsbot.messages import inbox as ingest
from smsbot.messages.models import InboundMessage
from smsbot.modem.transport.base import IncomingSMS

from ..conftest import NOW


def test_a_batch_is_stored_with_every_column_and_its_ids(engine):
    person = IncomingSMS("081300000001", "CARI rendang\x00", sent_at=NOW - timedelta(minutes=1),
                         parts=2, uid="a")
    shortcode = IncomingSMS("3636", "Promo paket data", sent_at=None, uid="b")
    stored = ingest.record_many(engine, [person, shortcode, person], NOW, modem="m1")
    assert stored[2] is None  # the same SMS twice in one batch: stored once
    assert [s.status for s in stored[:2]] == ["pending", "ignored"]
    with Session(engine) as session:
        rows = {row.id: row for row in session.exec(select(InboundMessage)).all()}
    assert sorted(rows) == sorted(s.id for s in stored[:2])
    first, second = rows[stored[0].id], rows[stored[1].id]
    assert (first.dedupe_key, first.sender, first.sender_e164, first.text, first.parts,
            first.modem, first.status, first.note, first.processed_at) == (
        person.dedupe_key(), "081300000001", "+6281300000001", "CARI rendang\ufffd", 2,
        "m1", "pending", "", None)
    assert first.sent_at == to_db(NOW - timedelta(minutes=1)) and first.received_at == to_db(NOW)
    assert (second.status, second.note, second.sent_at) == (
        "ignored", "not answered: shortcode sender", None)
    # read again (a delete that failed): nothing new, nothing answered twice
    assert ingest.record_many(engine, [shortcode, person], NOW) == [None, None]
    again = IncomingSMS("081300000002", "halo", sent_at=NOW, uid="c")
    new = ingest.record_many(engine, [person, again], NOW)
    assert new[0] is None and new[1].id > max(rows)
