"""`smsbot orders list|show`: the admin's view of orders (PESAN), read-only."""

from __future__ import annotations

import sys

import click
from sqlmodel import Session, col, select

from smsbot.catalog.models import Shop
from smsbot.catalog.prices import short_price
from smsbot.clock import local
from smsbot.contacts.phones import local_form
from smsbot.orders import rules as order_logic
from smsbot.orders.models import Order, OrderItem, SubOrder


def _when(moment) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


@click.group("orders")
def orders() -> None:
    """Orders (PESAN): one invoice per buyer, one sub-order per shop."""


@orders.command("list")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(order_logic.STATUS_FILTERS),
              help=f"Order status ({', '.join(Order.STATUSES)}) or a sub-order status "
                   f"({', '.join(SubOrder.STATUSES)}); repeatable. `cancelled`: either.")
@click.option("--shop", "shop_code", default=None, help="Only orders with a sub-order of this shop code.")
@click.option("--limit", default=200, show_default=True, help="At most this many, newest first.")
@click.pass_obj
def list_orders(obj, statuses: tuple[str, ...], shop_code: str | None, limit: int) -> None:
    """One line per order: code, status, created (WIB), buyer, total, shop:sub-status..."""
    with Session(obj.engine) as session:
        query = select(Order).order_by(col(Order.id).desc()).limit(limit)
        shop = None
        if shop_code:
            shop = session.exec(select(Shop).where(Shop.code_key == shop_code.upper())).first()
            if shop is None:
                click.echo(f"smsbot orders list: no shop {shop_code!r}", err=True)
                sys.exit(1)
        subs = select(SubOrder.order_id)
        if shop is not None:
            subs = subs.where(SubOrder.shop_id == shop.id)
            query = query.where(col(Order.id).in_(subs))
        if statuses:
            query = query.where(order_logic.with_status(statuses, subs))
        rows = session.exec(query).all()
        for order in rows:
            parts = " ".join(f"{s.code}:{sub.status}" for sub, s in order_logic.parts(session, order))
            click.echo(f"{order.code}  {order.status:9}  {_when(order.created_at)}  "
                       f"{local_form(order.buyer_phone):14} {short_price(order.total_idr):>8}  {parts}")
        if not rows:
            click.echo("no orders", err=True)


@orders.command("show")
@click.argument("code")
@click.pass_obj
def show_order(obj, code: str) -> None:
    """Everything about one order: buyer, delivery, each shop's sub-order and items."""
    with Session(obj.engine) as session:
        order = order_logic.find(session, code)
        if order is None:
            click.echo(f"smsbot orders show: no order {code.upper()!r}", err=True)
            sys.exit(1)
        address = f" to {order.address}" if order.delivery == "antar" else ""
        click.echo(f"order {order.code}: {order.status}, total {order.total_idr} IDR")
        click.echo(f"buyer {local_form(order.buyer_phone)}, {order.delivery}{address}")
        click.echo(f"created {_when(order.created_at)}, confirmed {_when(order.confirmed_at)} (WIB)")
        for sub, shop in order_logic.parts(session, order):
            reason = f" ({sub.reason})" if sub.reason else ""
            click.echo(f"- {shop.code} {shop.name} {local_form(shop.phone)}: {sub.status}{reason}, "
                       f"{sub.total_idr} IDR")
            stamps = [f"{name} {_when(getattr(sub, name + '_at'))}"
                      for name in ("reminded", "accepted", "shipped", "done", "cancelled")
                      if getattr(sub, name + "_at")]
            if stamps:
                click.echo("    " + ", ".join(stamps))
            for item in session.exec(select(OrderItem).where(OrderItem.suborder_id == sub.id)):
                click.echo(f"    {item.product_code} {item.name} x{item.qty} @ {item.unit_price_idr}"
                           f" = {item.qty * item.unit_price_idr}")
