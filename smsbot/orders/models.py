"""Orders: one invoice (faktur) per buyer, one sub-order per shop, the items.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


ORDER_STATUSES = ("draft", "confirmed", "cancelled", "expired")  # Order.status (smsbot.orders.rules)
SUB_STATUSES = ("pending", "accepted", "refused", "shipped", "done")  # SubOrder.status, as listed


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
