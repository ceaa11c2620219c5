"""Every SMS in and out: the inbound log (with its dedupe key) and the outbox.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Optional

from sqlmodel import Field, SQLModel

# Outbox priorities: the sender drains higher first, so a reply beats a broadcast.
PRIORITY = {"reply": 30, "notice": 20, "broadcast": 10}


class InboundMessage(SQLModel, table=True):
    """Every SMS exactly as received. The dedupe key makes a re-read SMS (a delete that
    failed on the modem) a no-op instead of a second answer.

        PENDING -claimed-> PROCESSING -answered (or held back by the limits)-> PROCESSED
        IGNORED from the start: an operator name or a short code, kept, never answered
    (PROCESSING never outlives the transaction that claimed the SMS)
    """

    PENDING: ClassVar[str] = "pending"
    PROCESSING: ClassVar[str] = "processing"
    PROCESSED: ClassVar[str] = "processed"
    IGNORED: ClassVar[str] = "ignored"
    STATUSES: ClassVar[tuple[str, ...]] = (PENDING, PROCESSING, PROCESSED, IGNORED)

    id: Optional[int] = Field(default=None, primary_key=True)
    dedupe_key: str = Field(index=True, unique=True)
    sender: str = Field(index=True)  # as the network gave it
    sender_e164: Optional[str] = Field(default=None, index=True)
    text: str
    parts: int = 1
    modem: str = ""
    sent_at: Optional[datetime] = None  # the sender's SMSC time stamp
    received_at: datetime
    status: str = Field(default=PENDING, index=True)  # one of STATUSES
    processed_at: Optional[datetime] = None
    note: str = ""


class OutboxMessage(SQLModel, table=True):
    """One SMS to send. Only the transport loop sends; everything else writes rows here.

        QUEUED -claimed-> SENDING -modem accepted-> SENT
        SENDING -modem error-> QUEUED (retry, backoff) | FAILED (after MAX_ATTEMPTS)
        SENDING -crash-> QUEUED (requeued at start-up)
        SENDING (broadcast) -crash, or an error after the modem may have taken it-> UNKNOWN
        QUEUED (broadcast) -recipient opted out-> SKIPPED | -broadcast cancelled-> CANCELLED

    When a send's outcome is unknown (no answer to it, the daemon killed inside the modem
    call), a reply or notice is sent again (at-least-once: it may arrive twice) and a
    broadcast is not (at-most-once: UNKNOWN is final; a lost promo is cheap, a doubled one
    annoys). An error the modem answered (`+CMS ERROR`) proves nothing went: retried.
    """

    QUEUED: ClassVar[str] = "queued"
    SENDING: ClassVar[str] = "sending"
    SENT: ClassVar[str] = "sent"
    FAILED: ClassVar[str] = "failed"
    SKIPPED: ClassVar[str] = "skipped"
    CANCELLED: ClassVar[str] = "cancelled"
    UNKNOWN: ClassVar[str] = "unknown"  # a broadcast that may or may not have gone out
    STATUSES: ClassVar[tuple[str, ...]] = (QUEUED, SENDING, SENT, FAILED, SKIPPED, CANCELLED,
                                           UNKNOWN)

    id: Optional[int] = Field(default=None, primary_key=True)
    to: str = Field(index=True)  # E.164
    text: str
    kind: str = "reply"  # reply | notice | broadcast
    priority: int = Field(default=30, index=True)
    status: str = Field(default=QUEUED, index=True)  # one of STATUSES
    segments: int = 1
    encoding: str = "gsm7"
    attempts: int = 0
    modem: str = ""  # preferred (or used) modem
    modem_ref: str = ""
    error: str = ""
    inbound_id: Optional[int] = Field(default=None, foreign_key="inboundmessage.id")
    created_at: datetime
    not_before: Optional[datetime] = Field(default=None, index=True)
    sending_at: Optional[datetime] = None
    sent_at: Optional[datetime] = None
    # Broadcast rows: which broadcast, and "b<id>:<run>:<phone>" so that no
    # recipient gets one run twice, whatever crashes or restarts happen.
    broadcast_id: Optional[int] = Field(default=None, index=True)
    dedupe_key: Optional[str] = Field(default=None, unique=True)
    # The network's status report on a sent row (asked for with `run --delivery-reports`),
    # matched by `modem` and a reference in `modem_ref`: None (no report) | delivered | failed.
    # No default but NULL: the broadcasts' bulk INSERT names every column with a default.
    delivery: Optional[str] = None
    delivery_at: Optional[datetime] = None  # delivered, or given up, by the network
