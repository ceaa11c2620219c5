"""Every table smsbot keeps, in one place.

Times are aware UTC datetimes (`smsbot.clock.to_db`); SQLModel's UTCDateTime stores them as
UTC on SQLite and as `timestamptz` on PostgreSQL, and reads them back aware.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

# Outbox priorities: the sender drains higher first, so a reply beats a broadcast.
PRIORITY = {"reply": 30, "notice": 20, "broadcast": 10}


class Shop(SQLModel, table=True):
    """One UMKM: a maker or seller with a registered phone."""

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str  # exactly as imported
    code_key: str = Field(index=True, unique=True)  # upper case, for look-ups
    name: str
    phone: str = Field(index=True)  # E.164
    address: str = ""
    kelurahan: str = ""
    lat: Optional[float] = None
    lon: Optional[float] = None
    hours: str = ""  # "08:00-21:00" or empty (unknown)
    assets_idr: Optional[int] = Field(default=None, sa_type=BigInteger)  # rupiah can pass 2^31
    annual_sales_idr: Optional[int] = Field(default=None, sa_type=BigInteger)
    payment_info: str = ""
    active: bool = True


class Product(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str  # what buyers type, shown exactly as imported
    code_key: str = Field(index=True, unique=True)  # upper case, for look-ups
    shop_id: int = Field(foreign_key="shop.id", index=True)
    name: str
    category: str = ""
    price_idr: int = Field(sa_type=BigInteger)
    unit: str = ""
    stock: int = 0
    active: bool = True


class Contact(SQLModel, table=True):
    """Anyone who texts us or whom we text: buyers, sellers, the admin."""

    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True, unique=True)  # E.164
    name: str = ""
    role: str = "buyer"  # buyer | seller | admin
    language: str = "id"
    promo_opt_in: bool = False
    pin_hash: str = ""
    kelurahan: str = ""
    created_at: datetime


class InboundMessage(SQLModel, table=True):
    """Every SMS exactly as received. The dedupe key makes a re-read SMS (a delete that
    failed on the modem) a no-op instead of a second answer."""

    id: Optional[int] = Field(default=None, primary_key=True)
    dedupe_key: str = Field(index=True, unique=True)
    sender: str = Field(index=True)  # as the network gave it
    sender_e164: Optional[str] = Field(default=None, index=True)
    text: str
    parts: int = 1
    modem: str = ""
    sent_at: Optional[datetime] = None  # the sender's SMSC time stamp
    received_at: datetime
    status: str = Field(default="pending", index=True)  # pending | processed | ignored
    processed_at: Optional[datetime] = None
    note: str = ""


class OutboxMessage(SQLModel, table=True):
    """One SMS to send. Only the transport loop sends; everything else writes rows here."""

    id: Optional[int] = Field(default=None, primary_key=True)
    to: str = Field(index=True)  # E.164
    text: str
    kind: str = "reply"  # reply | notice | broadcast
    priority: int = Field(default=30, index=True)
    status: str = Field(default="queued", index=True)  # queued | sending | sent | failed
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
    # Broadcast rows (issue 6): which broadcast, and "b<id>:<run>:<phone>" so that no
    # recipient gets one run twice, whatever crashes or restarts happen.
    broadcast_id: Optional[int] = Field(default=None, index=True)
    dedupe_key: Optional[str] = Field(default=None, unique=True)


class ConversationState(SQLModel, table=True):
    """Per-sender memory between messages (last search list, an order awaiting YA).
    Keyed by phone; expires so a stale question is never answered by surprise."""

    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True)
    key: str = Field(index=True)
    data: str = "{}"  # JSON
    expires_at: datetime
    updated_at: datetime


# --- Orders (PESAN; the lifecycle is issue 4, complaints and reviews read them) -------------
# Order codes are 6 characters from ORDER_CODE_ALPHABET (smsbot.codes); complaint tickets are
# 4 characters starting with "K". The two never collide.


class Order(SQLModel, table=True):
    """One invoice (faktur) for one buyer, possibly spanning several shops."""

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    buyer_phone: str = Field(index=True)  # E.164
    status: str = Field(default="draft", index=True)  # draft | confirmed | cancelled | expired
    delivery: str = "ambil"  # ambil (pickup) | antar (delivery)
    address: str = ""
    total_idr: int = Field(default=0, sa_type=BigInteger)
    created_at: datetime
    expires_at: Optional[datetime] = None  # an unconfirmed order expires
    confirmed_at: Optional[datetime] = None


class SubOrder(SQLModel, table=True):
    """The part of an order one shop fulfils; only that shop's phone may act on it."""

    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    shop_id: int = Field(foreign_key="shop.id", index=True)
    # pending | accepted | refused | shipped | done | cancelled
    status: str = Field(default="pending", index=True)
    reason: str = ""
    total_idr: int = Field(default=0, sa_type=BigInteger)
    created_at: datetime
    updated_at: datetime
    done_at: Optional[datetime] = None
    # issue 4: the lifecycle's time stamps (the 2 h reminder is sent once)
    reminded_at: Optional[datetime] = None
    accepted_at: Optional[datetime] = None
    shipped_at: Optional[datetime] = None
    cancelled_at: Optional[datetime] = None


class OrderItem(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    suborder_id: int = Field(foreign_key="suborder.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    product_code: str
    name: str
    qty: int
    unit_price_idr: int = Field(sa_type=BigInteger)  # the price applied (a promo price when one was active)


# --- Coordination between daemons (issue 8) -----------------------------------------------


class Lock(SQLModel, table=True):
    """A named mutex row: a transaction that updates it first holds it until commit, on
    SQLite (write lock) and PostgreSQL (row lock) alike. Timers run under one each, so two
    daemons on one database never fire the same job twice."""

    name: str = Field(primary_key=True)
    held_at: Optional[datetime] = None


# --- Complaints and reviews (KELUHAN, BALAS, NILAI; issue 5) ---------------------------------


class Complaint(SQLModel, table=True):
    """A ticket (`K7QX`): one buyer's complaint, relayed between the buyer, the shop (when
    known) and the admin until someone closes it."""

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)  # "K" + 3 characters
    buyer_phone: str = Field(index=True)  # E.164
    shop_id: Optional[int] = Field(default=None, foreign_key="shop.id", index=True)
    order_id: Optional[int] = Field(default=None, foreign_key="order.id")
    category: str = "service"  # a key of grammar/complaint_categories.toml
    text: str
    status: str = Field(default="open", index=True)  # open | closed
    created_at: datetime
    first_answer_at: Optional[datetime] = None  # first BALAS from the shop or the admin
    shop_answered_at: Optional[datetime] = None  # first BALAS from the shop
    escalated_at: Optional[datetime] = Field(default=None, index=True)
    closed_at: Optional[datetime] = None
    closed_by: str = ""  # buyer | shop | admin


class ComplaintMessage(SQLModel, table=True):
    """The thread of a ticket: the complaint itself and every BALAS."""

    id: Optional[int] = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    sender_phone: str
    role: str  # buyer | shop | admin
    text: str
    created_at: datetime


class Review(SQLModel, table=True):
    """NILAI: one rating (1-5) per finished sub-order, i.e. per shop of an order."""

    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    suborder_id: int = Field(foreign_key="suborder.id", unique=True)
    shop_id: int = Field(foreign_key="shop.id", index=True)
    buyer_phone: str
    stars: int
    comment: str = ""
    created_at: datetime


# --- Broadcasts and promos (issue 6) -----------------------------------------------------------


class Broadcast(SQLModel, table=True):
    """A scheduled message to many contacts. The database is the source of truth for what is
    due: `next_run_at` (None once finished, cancelled or awaiting approval). A run is expanded
    into outbox rows in one transaction that also moves `next_run_at` on."""

    id: Optional[int] = Field(default=None, primary_key=True)
    text: str
    target: str = "all"  # all | kelurahan:NAME | kecamatan:NAME | follows:WORD | shop:CODE
    # pending (awaiting the admin) | scheduled | done | cancelled
    status: str = Field(default="scheduled", index=True)
    first_at: datetime
    every: str = ""  # cron expression (5 fields, local time); empty: once
    next_run_at: Optional[datetime] = Field(default=None, index=True)
    runs: int = 0
    last_run_at: Optional[datetime] = None
    created_by: str = ""  # E.164 of the admin or seller, or "cli"
    shop_id: Optional[int] = Field(default=None, foreign_key="shop.id")
    created_at: datetime
    approved_at: Optional[datetime] = None
    cancelled_at: Optional[datetime] = None


class Follow(SQLModel, table=True):
    """An interest (IKUTI): a shop (value = shop code key) or a kind of food (a folded word)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True)  # E.164
    kind: str = Field(index=True)  # shop | word
    value: str = Field(index=True)
    created_at: datetime


class PromoPrice(SQLModel, table=True):
    """A seller's discount (PROMO <code> <percent> <days>), active from starts_at to ends_at."""

    id: Optional[int] = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    percent: int
    price_idr: int
    starts_at: datetime
    ends_at: datetime
    broadcast_id: Optional[int] = Field(default=None, foreign_key="broadcast.id")
    created_at: datetime


# --- Search and places (CARI, LOKASI; issue 3) ----------------------------------------------


class CatalogVersion(SQLModel, table=True):
    """One row (id 1) whose `version` goes up whenever a product or shop changes, so every
    process's in-memory search index notices with one cheap query (smsbot.search.version)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = 0
    updated_at: Optional[datetime] = None


class SearchMiss(SQLModel, table=True):
    """A CARI that found nothing: demand nobody serves yet (`smsbot report searches`)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    query: str = Field(index=True)  # folded words, e.g. "rendang kapau"
    text: str = ""  # as typed
    phone: str = Field(default="", index=True)
    created_at: datetime = Field(index=True)


# --- Reliability and abuse (issue 7) ----------------------------------------------------------


class SecurityEvent(SQLModel, table=True):
    """Something the admin should be able to look back on: a failed or locked PIN, a
    privileged command from the wrong phone, a sender over the limits, a reply loop cut."""

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    phone: str = Field(default="", index=True)  # E.164, or the raw sender ID
    kind: str = Field(index=True)  # pin_failed | pin_locked | not_allowed | rate_limited | loop_guard
    detail: str = ""


# --- web login (issue 10) ---------------------------------------------------------------------


class LoginCode(SQLModel, table=True):
    """A one-time dashboard login code sent by SMS, stored hashed. Every login request makes
    a row, also for numbers that may not log in (no code, nothing sent: `code_hash` empty),
    so the rate limits per phone and per client address count them all alike and do not
    reveal which numbers are registered."""

    id: Optional[int] = Field(default=None, primary_key=True)
    phone: str = Field(index=True)  # E.164
    client: str = Field(default="", index=True)  # the requester's IP address
    code_hash: str = ""  # "salt$sha256", empty when nothing was sent
    created_at: datetime = Field(index=True)
    expires_at: datetime
    used_at: Optional[datetime] = None
    wrong_tries: int = 0
