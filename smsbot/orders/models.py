"""Orders: one invoice (faktur) per buyer, one sub-order per shop, the items.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Optional

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


class Order(SQLModel, table=True):
    """One invoice (faktur) for one buyer, possibly spanning several shops.

        DRAFT -YA-> CONFIRMED
        DRAFT -30 min-> EXPIRED
        DRAFT -BATAL-> CANCELLED
        CONFIRMED -every sub-order refused or cancelled-> CANCELLED

    STATUSES is the one list of them (rules, `smsbot orders list --status`, the dashboards).
    """

    DRAFT: ClassVar[str] = "draft"
    CONFIRMED: ClassVar[str] = "confirmed"
    CANCELLED: ClassVar[str] = "cancelled"
    EXPIRED: ClassVar[str] = "expired"
    STATUSES: ClassVar[tuple[str, ...]] = (DRAFT, CONFIRMED, CANCELLED, EXPIRED)

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    buyer_phone: str = Field(index=True)  # E.164
    status: str = Field(default=DRAFT, index=True)  # one of STATUSES
    delivery: str = "ambil"  # ambil (pickup) | antar (delivery)
    address: str = ""
    total_idr: int = Field(default=0, sa_type=BigInteger)
    created_at: datetime
    expires_at: Optional[datetime] = None  # an unconfirmed order expires
    confirmed_at: Optional[datetime] = None


class SubOrder(SQLModel, table=True):
    """The part of an order one shop fulfils; only that shop's phone may act on it. It
    starts once its order is confirmed:

        PENDING -TERIMA-> ACCEPTED -KIRIM-> SHIPPED -SELESAI-> DONE
        PENDING -TOLAK-> REFUSED
        PENDING -24 h without an answer-> CANCELLED
        PENDING, ACCEPTED -BATAL-> CANCELLED (accepted stock goes back)

    STATUSES is the one list of them, in that order; OPEN are still in progress,
    CANCELLABLE what BATAL may still stop, ENDED_UNSOLD what leaves nothing sold.
    """

    PENDING: ClassVar[str] = "pending"
    ACCEPTED: ClassVar[str] = "accepted"
    SHIPPED: ClassVar[str] = "shipped"
    DONE: ClassVar[str] = "done"
    REFUSED: ClassVar[str] = "refused"
    CANCELLED: ClassVar[str] = "cancelled"
    STATUSES: ClassVar[tuple[str, ...]] = (PENDING, ACCEPTED, SHIPPED, DONE, REFUSED, CANCELLED)
    OPEN: ClassVar[tuple[str, ...]] = (PENDING, ACCEPTED, SHIPPED)
    CANCELLABLE: ClassVar[tuple[str, ...]] = (PENDING, ACCEPTED)
    ENDED_UNSOLD: ClassVar[tuple[str, ...]] = (REFUSED, CANCELLED)

    id: Optional[int] = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    shop_id: int = Field(foreign_key="shop.id", index=True)
    status: str = Field(default=PENDING, index=True)  # one of STATUSES
    reason: str = ""
    total_idr: int = Field(default=0, sa_type=BigInteger)
    created_at: datetime
    updated_at: datetime
    done_at: Optional[datetime] = None
    # the lifecycle's time stamps (the 2 h reminder is sent once)
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
