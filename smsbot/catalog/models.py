"""The catalog's tables: shops (UMKM), their products, promo prices and the catalog version.

Times are aware UTC datetimes (`smsbot.clock.to_db`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


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
    version: int = Field(default=-1, index=True, sa_column_kwargs={"server_default": "-1"})  # see CatalogVersion


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
    version: int = Field(default=-1, index=True, sa_column_kwargs={"server_default": "-1"})  # see CatalogVersion


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


class CatalogVersion(SQLModel, table=True):
    """One row (id 1) whose `version` goes up whenever a product or shop changes, so every
    process's in-memory search index notices with one cheap query (smsbot.catalog.version).
    Each changed product or shop row gets the new number in its own `version` (a new row
    starts at -1 and is given it at the bump), so an index reads only the rows changed since
    the version it holds."""

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = 0
    updated_at: Optional[datetime] = None
