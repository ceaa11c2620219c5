"""Admin commands for the CRM loop: `smsbot complaints ...`, `smsbot shops ...` and
`smsbot report` (registered at the bottom of smsbot/cli.py)."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import click
from sqlmodel import Session, col, func, select

from smsbot.catalog.models import Shop
from smsbot.clock import local, utcnow
from smsbot.contacts.phones import local_form
from smsbot.crm import report as crm_report, report_html, tickets as complaints_module
from smsbot.crm.models import Complaint, ComplaintMessage
from smsbot.crm.reviews import rating_counts
from smsbot.crm.umkm_class import DEFAULT_LAW, LAWS, classify
from smsbot.orders.models import Order, SubOrder


def _when(moment) -> str:
    return f"{local(moment):%Y-%m-%d %H:%M}" if moment else "-"


def _shop_by_code(session: Session, code: str) -> Shop:
    shop = session.exec(select(Shop).where(Shop.code_key == code.upper())).first()
    if shop is None:
        raise click.ClickException(f"no shop with code {code}")
    return shop


# -- complaints ----------------------------------------------------------------------------
@click.group("complaints")
def complaints() -> None:
    """Complaint tickets (KELUHAN): list, read, re-categorize."""


@complaints.command("list")
@click.option("--open", "only_open", is_flag=True, help="Only tickets not closed yet.")
@click.option("--shop", "shop_code", default=None, metavar="CODE", help="Only this shop's.")
@click.pass_obj
def complaints_list(obj, only_open: bool, shop_code: str | None) -> None:
    """One line per ticket, newest first: number, status, category, shop, opened (WIB),
    first answer, escalated, buyer, text."""
    with Session(obj.engine) as session:
        query = select(Complaint).order_by(col(Complaint.created_at).desc(), col(Complaint.id).desc())
        if only_open:
            query = query.where(Complaint.status == "open")
        if shop_code:
            query = query.where(Complaint.shop_id == _shop_by_code(session, shop_code).id)
        shops = {s.id: s.code for s in session.exec(select(Shop)).all()}
        for t in session.exec(query).all():
            flags = ("answered" if t.first_answer_at else "unanswered") + (
                " escalated" if t.escalated_at else "")
            click.echo(f"{t.code}  {t.status:6}  {t.category:9}  {shops.get(t.shop_id, '-'):6}  "
                       f"{_when(t.created_at)}  {flags:20}  {local_form(t.buyer_phone):14}  "
                       f"{t.text[:50]}")


@complaints.command("show")
@click.argument("ticket")
@click.pass_obj
def complaints_show(obj, ticket: str) -> None:
    """A ticket and its whole thread."""
    with Session(obj.engine) as session:
        t = complaints_module.find_ticket(session, ticket)
        if t is None:
            raise click.ClickException(f"no complaint {ticket.upper()}")
        shop = session.get(Shop, t.shop_id) if t.shop_id else None
        order = session.get(Order, t.order_id) if t.order_id else None
        click.echo(f"complaint {t.code}  {t.status}  category {t.category}")
        click.echo(f"buyer     {local_form(t.buyer_phone)}")
        click.echo(f"shop      {f'{shop.code} {shop.name} {local_form(shop.phone)}' if shop else '-'}")
        click.echo(f"order     {order.code if order else '-'}")
        click.echo(f"opened    {_when(t.created_at)}")
        click.echo(f"answered  {_when(t.first_answer_at)}")
        click.echo(f"escalated {_when(t.escalated_at)}")
        closed = f"{_when(t.closed_at)} by {t.closed_by}" if t.closed_at else "-"
        click.echo(f"closed    {closed}")
        for m in session.exec(select(ComplaintMessage).where(ComplaintMessage.complaint_id == t.id)
                              .order_by(ComplaintMessage.id)).all():
            click.echo(f"  {_when(m.created_at)} {m.role:5} {local_form(m.sender_phone)}: {m.text}")


@complaints.command("set-category")
@click.argument("ticket")
@click.argument("category", type=click.Choice(complaints_module.category_names()))
@click.pass_obj
def complaints_set_category(obj, ticket: str, category: str) -> None:
    """Correct a ticket's category (categories: grammar/complaint_categories.toml)."""
    with Session(obj.engine) as session:
        t = complaints_module.find_ticket(session, ticket)
        if t is None:
            raise click.ClickException(f"no complaint {ticket.upper()}")
        old, t.category = t.category, category
        session.add(t)
        session.commit()
        click.echo(f"{t.code}: {old} -> {category}")


# -- shops ---------------------------------------------------------------------------------
_LAW = click.option("--law", type=click.Choice(sorted(LAWS)), default=DEFAULT_LAW,
                    show_default=True, help="PP 7/2021 (in force) or UU 20/2008 Pasal 6.")


@click.group("shops")
def shops() -> None:
    """The UMKM: list, details, size classes."""


@shops.command("list")
@_LAW
@click.pass_obj
def shops_list(obj, law: str) -> None:
    """Code, name, kelurahan, phone, class, rating (count) and open complaints."""
    with Session(obj.engine) as session:
        ratings = rating_counts(session)
        open_counts = dict(session.exec(select(Complaint.shop_id, func.count())
                                        .where(Complaint.status == "open")
                                        .group_by(Complaint.shop_id)).all())
        for shop in session.exec(select(Shop).order_by(Shop.code_key)).all():
            avg, n = ratings.get(shop.id, (None, 0))
            rating = f"*{avg:.1f} ({n})" if avg is not None else "-"
            click.echo(f"{shop.code:6} {shop.name[:30]:30} {shop.kelurahan[:22]:22} "
                       f"{local_form(shop.phone):14} {classify(shop.assets_idr, shop.annual_sales_idr, law):7} "
                       f"{rating:10} {open_counts.get(shop.id, 0)} open")


@shops.command("show")
@click.argument("code")
@click.pass_obj
def shops_show(obj, code: str) -> None:
    """Everything about one shop: contact, class under both laws, rating, orders, complaints."""
    with Session(obj.engine) as session:
        shop = _shop_by_code(session, code)
        avg, n = rating_counts(session, [shop.id]).get(shop.id, (None, 0))
        by_status = dict(session.exec(select(Complaint.status, func.count())
                                      .where(Complaint.shop_id == shop.id)
                                      .group_by(Complaint.status)).all())
        orders = session.exec(select(func.count()).select_from(SubOrder)
                              .where(SubOrder.shop_id == shop.id)).one()
        click.echo(f"{shop.code}  {shop.name}{'' if shop.active else '  (inactive)'}")
        click.echo(f"phone      {local_form(shop.phone)}")
        click.echo(f"address    {shop.address}, {shop.kelurahan} "
                   f"(kecamatan {crm_report.kecamatan_of(shop.kelurahan)})")
        click.echo(f"hours      {shop.hours or '-'}")
        click.echo(f"assets     Rp {_num(shop.assets_idr)}")
        click.echo(f"sales/year Rp {_num(shop.annual_sales_idr)}")
        for law in sorted(LAWS):
            click.echo(f"class      {classify(shop.assets_idr, shop.annual_sales_idr, law)} ({law})")
        click.echo(f"rating     {f'*{avg:.1f} from {n} review(s)' if avg is not None else 'no reviews yet'}")
        click.echo(f"orders     {orders}")
        click.echo(f"complaints {by_status.get('open', 0)} open, {by_status.get('closed', 0)} closed")


@shops.command("classify")
@_LAW
@click.pass_obj
def shops_classify(obj, law: str) -> None:
    """Micro / small / medium / large from assets and annual sales, then the counts."""
    counts: dict[str, int] = {}
    with Session(obj.engine) as session:
        for shop in session.exec(select(Shop).order_by(Shop.code_key)).all():
            size = classify(shop.assets_idr, shop.annual_sales_idr, law)
            counts[size] = counts.get(size, 0) + 1
            click.echo(f"{shop.code:6} {shop.name[:30]:30} {_num(shop.assets_idr):>15} "
                       f"{_num(shop.annual_sales_idr):>15} {size}")
    click.echo(f"{law}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def _num(value: int | None) -> str:
    return "-" if value is None else f"{value:,}".replace(",", ".")


# -- report --------------------------------------------------------------------------------
@click.group("report", invoke_without_command=True)
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout (for a spreadsheet).")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write an HTML report with charts to this file.")
@click.pass_context
def report(ctx: click.Context, as_csv: bool, html_file: Path | None) -> None:
    """Per shop and per kecamatan: orders, revenue, complaints by category, median hours to
    the first answer, ratings. Tables in the terminal, --csv, or --html FILE."""
    if ctx.invoked_subcommand is not None:
        return
    with Session(ctx.obj.engine) as session:
        data = crm_report.build(session)
    if html_file is not None:
        html_file.parent.mkdir(parents=True, exist_ok=True)
        html_file.write_text(report_html.render(data, utcnow()), encoding="utf-8")
        click.echo(f"report written to {html_file}", err=as_csv)
    sys.stdout.write(crm_report.to_csv(data) if as_csv else crm_report.to_text(data))
    if not as_csv:
        from smsbot.search.misses import as_lines, unmet  # the demand nobody serves

        with Session(ctx.obj.engine) as session:
            rows = unmet(session, utcnow() - timedelta(days=30), limit=10)
        click.echo("\nTop searches with no result (last 30 days; more: smsbot report searches)")
        click.echo("\n".join(as_lines(rows)) if rows else "no unanswered searches in the last 30 days")
