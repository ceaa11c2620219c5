"""Test data for the complaint/review/report tests: finished orders written straight into
the tables (the PESAN lifecycle is another issue's), and predictable ticket numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from smsbot.catalog.models import Shop
from smsbot.contacts.phones import normalize
from smsbot.orders.models import Order, SubOrder

from .conftest import NOW


def make_order(engine, code: str, buyer: str, shops: dict[str, str] | list[str],
               total: int = 50_000, at: datetime = NOW, order_status: str = "confirmed",
               totals: dict[str, int] | None = None) -> None:
    """`shops`: shop code -> sub-order status ("done" unless given as a dict); each sub-order
    is worth `total` unless `totals` says otherwise."""
    statuses = shops if isinstance(shops, dict) else {c: "done" for c in shops}
    with Session(engine) as session:
        worth = {c: (totals or {}).get(c, total) for c in statuses}
        order = Order(code=code, buyer_phone=normalize(buyer), status=order_status,
                      total_idr=sum(worth.values()), created_at=at, confirmed_at=at)
        session.add(order)
        session.flush()
        for shop_code, status in statuses.items():
            shop = session.exec(select(Shop).where(Shop.code_key == shop_code)).one()
            session.add(SubOrder(order_id=order.id, shop_id=shop.id, status=status,
                                 total_idr=worth[shop_code], created_at=at, updated_at=at,
                                 done_at=at + timedelta(hours=1) if status == "done" else None))
        session.commit()


def fixed_tickets(monkeypatch, *codes: str) -> None:
    """Make KELUHAN hand out these ticket numbers, in order."""
    pending = list(codes)
    monkeypatch.setattr("smsbot.crm.tickets.new_code", lambda *a, **k: pending.pop(0))
