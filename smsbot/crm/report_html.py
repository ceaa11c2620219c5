"""`smsbot report --html FILE`: one self-contained HTML page (tables and inline SVG bar
charts, no script, no network) the admin can open in any browser or attach to an email."""

from __future__ import annotations

from datetime import datetime
from html import escape

from smsbot.clock import local
from smsbot.crm.report import Report, Row, _cells
from smsbot.crm.tickets import category_label

_STYLE = """body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;
margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}
td:first-child,th:first-child,td.t{text-align:left}th{background:#eee}
h2{margin-top:2em}svg text{font-size:12px}"""


def bar_chart(title: str, items: list[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart as inline SVG."""
    if not items:
        return f"<p>{escape(title)}: no data.</p>"
    label_w, bar_w, row_h = 220, 360, 22
    top = max(value for _label, value in items) or 1
    height = row_h * len(items) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 120}" '
           f'height="{height}" role="img" aria-label="{escape(title)}">',
           f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>']
    for index, (label, value) in enumerate(items):
        y = 24 + index * row_h
        width = int(bar_w * value / top)
        shown = f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:.1f}"
        out.append(f'<text x="0" y="{y + 14}">{escape(label)}</text>'
                   f'<rect x="{label_w}" y="{y}" width="{width}" height="{row_h - 6}" '
                   f'fill="#4a7ebb"/>'
                   f'<text x="{label_w + width + 6}" y="{y + 14}">{shown}{escape(unit)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _table(report: Report, rows: list[Row], first: list[tuple[str, callable]]) -> str:
    head = [name for name, _ in first] + ["orders", "revenue (Rp)", "complaints"] + [
        escape(category_label(c, "en")) for c in report.categories] + [
        "median h to 1st answer", "rating", "ratings"]
    lines = ["<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = [f'<td class="t">{escape(get(row))}</td>' for _name, get in first]
        values = _cells(row, report.categories, plain=True)
        values[1] = f"{row.revenue_idr:,}".replace(",", ".")
        cells += [f"<td>{escape(v)}</td>" for v in values]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(lines) + "</table>"


def render(report: Report, now: datetime) -> str:
    total = report.total
    areas = report.kecamatan
    rated = sorted((r for r in report.shops if r.rating is not None), key=lambda r: -r.rating)
    charts = [
        bar_chart("Revenue per kecamatan (Rp)", [(r.name, r.revenue_idr) for r in areas]),
        bar_chart("Orders per kecamatan", [(r.name, r.orders) for r in areas]),
        bar_chart("Complaints by category", [(category_label(c, "en"), total.complaints.get(c, 0))
                                             for c in report.categories]),
        bar_chart("Average rating per shop", [(r.name, r.rating) for r in rated], " / 5"),
    ]
    answered = total.median_answer_hours
    rupiah = f"{total.revenue_idr:,}".replace(",", ".")
    summary = (f"{total.orders} orders, Rp {rupiah} revenue, "
               f"{total.complaint_count} complaints, median time to first answer "
               f"{'-' if answered is None else f'{answered:.1f} h'}, "
               f"{len(total.stars)} ratings")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        "<title>smsbot report: UMKM Payakumbuh</title>", f"<style>{_STYLE}</style></head><body>",
        "<h1>UMKM Payakumbuh: orders, complaints and ratings</h1>",
        f"<p>Generated {local(now):%Y-%m-%d %H:%M} WIB. {escape(summary)}.</p>",
        *(f"<div>{chart}</div>" for chart in charts),
        "<h2>Per kecamatan</h2>",
        _table(report, [*areas, total], [("kecamatan", lambda r: r.name)]),
        "<h2>Per shop</h2>",
        _table(report, report.shops, [("code", lambda r: r.code), ("name", lambda r: r.name),
                                      ("kecamatan", lambda r: r.kecamatan)]),
        "</body></html>", ""])
