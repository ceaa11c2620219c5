"""The admin's view of the UMKM: per shop and per kecamatan, orders, revenue, complaints by
category, median time to first answer and ratings (`smsbot report`).

Counting rules (a caller must know them):
- orders: sub-orders (one shop's part of an order) of orders that are not draft, cancelled
  or expired, and that the shop did not refuse or cancel;
- revenue: the total of sub-orders marked done;
- time to first answer: from the complaint to the first BALAS of the shop or the admin,
  over answered complaints; a kecamatan's median is over all its complaints, not a median
  of medians;
- complaints without a shop count in the total only.
A shop's kecamatan comes from its kelurahan through the gazetteer (db/seed/kelurahan.csv).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from sqlmodel import Session, col, select

from smsbot.catalog.models import Shop
from smsbot.catalog.prices import short_price
from smsbot.clock import from_db
from smsbot.crm.models import Complaint, Review
from smsbot.crm.tickets import category_names
from smsbot.orders.models import Order, SubOrder
from smsbot.search import places as gazetteer

UNKNOWN_KECAMATAN = "(unknown)"
_DEAD_ORDERS = ("draft", "cancelled", "expired")
_DEAD_SUBORDERS = ("refused", "cancelled")


@dataclass
class Row:
    level: str  # shop | kecamatan | total
    code: str
    name: str
    kecamatan: str = ""
    orders: int = 0
    revenue_idr: int = 0
    complaints: Counter = field(default_factory=Counter)  # category -> count
    answer_hours: list[float] = field(default_factory=list)
    stars: list[int] = field(default_factory=list)

    @property
    def complaint_count(self) -> int:
        return sum(self.complaints.values())

    @property
    def median_answer_hours(self) -> float | None:
        return round(median(self.answer_hours), 1) if self.answer_hours else None

    @property
    def rating(self) -> float | None:
        return round(sum(self.stars) / len(self.stars), 1) if self.stars else None

    def add(self, other: "Row") -> None:
        self.orders += other.orders
        self.revenue_idr += other.revenue_idr
        self.complaints.update(other.complaints)
        self.answer_hours += other.answer_hours
        self.stars += other.stars


@dataclass
class Report:
    shops: list[Row]
    kecamatan: list[Row]
    total: Row
    categories: list[str]


def kecamatan_of(kelurahan: str) -> str:
    place = gazetteer.kelurahan(kelurahan) if kelurahan else None
    return (place.kecamatan if place and place.kecamatan else "") or UNKNOWN_KECAMATAN


def build(session: Session) -> Report:
    shops = session.exec(select(Shop).order_by(Shop.code_key)).all()
    rows = {s.id: Row("shop", s.code, s.name, kecamatan_of(s.kelurahan)) for s in shops}
    total = Row("total", "", "total")
    subs = session.exec(select(SubOrder, Order.status).join(Order, Order.id == SubOrder.order_id)
                        .where(col(Order.status).not_in(_DEAD_ORDERS),
                               col(SubOrder.status).not_in(_DEAD_SUBORDERS))).all()
    for sub, _status in subs:
        row = rows.get(sub.shop_id)
        if row is None:
            continue
        row.orders += 1
        if sub.status == "done":
            row.revenue_idr += sub.total_idr
    orphans = Row("shop", "", "(no shop)")
    for ticket in session.exec(select(Complaint)).all():
        row = rows.get(ticket.shop_id, orphans) if ticket.shop_id else orphans
        row.complaints[ticket.category] += 1
        if ticket.first_answer_at is not None:
            delay = from_db(ticket.first_answer_at) - from_db(ticket.created_at)
            row.answer_hours.append(delay.total_seconds() / 3600)
    for review in session.exec(select(Review)).all():
        if review.shop_id in rows:
            rows[review.shop_id].stars.append(review.stars)
    by_kecamatan: dict[str, Row] = {}
    for row in rows.values():
        area = by_kecamatan.setdefault(row.kecamatan, Row("kecamatan", "", row.kecamatan,
                                                          row.kecamatan))
        area.add(row)
        total.add(row)
    total.add(orphans)
    known = category_names()
    extra = sorted(set(total.complaints) - set(known))
    return Report(list(rows.values()), sorted(by_kecamatan.values(), key=lambda r: r.name),
                  total, known + extra)


# -- text and CSV ---------------------------------------------------------------------------
def _cells(row: Row, categories: list[str], *, plain: bool) -> list[str]:
    """`plain` (CSV): raw numbers, empty when unknown; else short prices and "-"."""
    median_h = row.median_answer_hours
    rating = row.rating
    none = "" if plain else "-"
    return [
        str(row.orders),
        str(row.revenue_idr) if plain else short_price(row.revenue_idr),
        str(row.complaint_count),
        *(str(row.complaints.get(c, 0)) for c in categories),
        none if median_h is None else f"{median_h:.1f}",
        none if rating is None else f"{rating:.1f}",
        str(len(row.stars)),
    ]


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["level", "code", "name", "kecamatan", "orders", "revenue_idr", "complaints",
                     *report.categories, "median_first_answer_h", "rating", "ratings"])
    for row in [*report.shops, *report.kecamatan, report.total]:
        writer.writerow([row.level, row.code, row.name, row.kecamatan,
                         *_cells(row, report.categories, plain=True)])
    return out.getvalue()


def to_text(report: Report) -> str:
    cats = report.categories
    head = ["orders", "revenue", "compl", *cats, "ans_h", "rating", "n"]
    parts = []
    shop_lines = [[r.code, r.name[:26], r.kecamatan[:19], *_cells(r, cats, plain=False)]
                  for r in report.shops]
    parts.append("Per shop\n" + _table(["code", "name", "kecamatan", *head], shop_lines))
    area_lines = [[r.name, *_cells(r, cats, plain=False)] for r in report.kecamatan]
    area_lines.append(["TOTAL", *_cells(report.total, cats, plain=False)])
    parts.append("Per kecamatan\n" + _table(["kecamatan", *head], area_lines))
    return "\n\n".join(parts) + "\n"


def _table(header: list[str], lines: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines)]
    numeric = [i for i in range(len(header)) if all(_is_number(l[i]) for l in lines)]

    def fmt(cells):
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return "\n".join([fmt(header), *(fmt(line) for line in lines)])


def _is_number(text: str) -> bool:
    return text in ("", "-") or text.replace(".", "").replace(",", "").rstrip("rbjt").isdigit()
