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
h2{margin-top:2em}svg text{font-size:12px}svg{max-width:100%;height:auto}
.wide{overflow-x:auto}"""

TEXTS = {  # the page in the reader's language; English is `smsbot report --html`'s default
    "en": {"title": "UMKM Payakumbuh: orders, complaints and ratings", "no_data": "no data",
           "revenue": "Revenue per kecamatan (Rp)", "orders": "Orders per kecamatan",
           "complaints": "Complaints by category", "rating": "Average rating per shop",
           "generated": "Generated", "summary": "{orders} orders, Rp {revenue} revenue, "
           "{complaints} complaints, median time to first answer {answer}, {ratings} ratings",
           "per_kecamatan": "Per kecamatan", "per_shop": "Per shop", "kecamatan": "kecamatan",
           "code": "code", "name": "name", "col_orders": "orders", "col_revenue": "revenue (Rp)",
           "col_complaints": "complaints", "col_answer": "median h to 1st answer",
           "col_rating": "rating", "col_ratings": "ratings"},
    "id": {"title": "UMKM Payakumbuh: pesanan, keluhan dan nilai", "no_data": "belum ada data",
           "revenue": "Pendapatan per kecamatan (Rp)", "orders": "Pesanan per kecamatan",
           "complaints": "Keluhan per jenis", "rating": "Nilai rata-rata per toko",
           "generated": "Dibuat", "summary": "{orders} pesanan, pendapatan Rp {revenue}, "
           "{complaints} keluhan, median waktu jawab pertama {answer}, {ratings} nilai",
           "per_kecamatan": "Per kecamatan", "per_shop": "Per toko", "kecamatan": "kecamatan",
           "code": "kode", "name": "nama", "col_orders": "pesanan",
           "col_revenue": "pendapatan (Rp)", "col_complaints": "keluhan",
           "col_answer": "median jam ke jawaban pertama", "col_rating": "nilai",
           "col_ratings": "jumlah nilai"},
}


def bar_chart(title: str, items: list[tuple[str, float]], unit: str = "",
              no_data: str = "no data") -> str:
    """A horizontal bar chart as inline SVG (it shrinks to a narrow screen: viewBox)."""
    if not items:
        return f"<p>{escape(title)}: {escape(no_data)}.</p>"
    label_w, bar_w, row_h = 220, 360, 22
    top = max(value for _label, value in items) or 1
    height = row_h * len(items) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 120}" '
           f'height="{height}" viewBox="0 0 {label_w + bar_w + 120} {height}" role="img" '
           f'aria-label="{escape(title)}">',
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


def _table(report: Report, rows: list[Row], first: list[tuple[str, callable]],
           lang: str = "en") -> str:
    t = TEXTS[lang]
    head = [t[name] for name, _ in first] + [t["col_orders"], t["col_revenue"], t["col_complaints"]] + [
        escape(category_label(c, lang)) for c in report.categories] + [
        t["col_answer"], t["col_rating"], t["col_ratings"]]
    lines = ['<div class="wide"><table><tr>' + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = [f'<td class="t">{escape(get(row))}</td>' for _name, get in first]
        values = _cells(row, report.categories, plain=True)
        values[1] = f"{row.revenue_idr:,}".replace(",", ".")
        cells += [f"<td>{escape(v)}</td>" for v in values]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(lines) + "</table></div>"


def body(report: Report, now: datetime, lang: str = "en") -> str:
    """The report without <html>/<head>: the dashboard shows it inside its own page."""
    t = TEXTS[lang if lang in TEXTS else "en"]
    lang = lang if lang in TEXTS else "en"
    total = report.total
    areas = report.kecamatan
    rated = sorted((r for r in report.shops if r.rating is not None), key=lambda r: -r.rating)
    charts = [
        bar_chart(t["revenue"], [(r.name, r.revenue_idr) for r in areas], no_data=t["no_data"]),
        bar_chart(t["orders"], [(r.name, r.orders) for r in areas], no_data=t["no_data"]),
        bar_chart(t["complaints"], [(category_label(c, lang), total.complaints.get(c, 0))
                                    for c in report.categories], no_data=t["no_data"]),
        bar_chart(t["rating"], [(r.name, r.rating) for r in rated], " / 5", t["no_data"]),
    ]
    answered = total.median_answer_hours
    rupiah = f"{total.revenue_idr:,}".replace(",", ".")
    hours = "j" if lang == "id" else "h"
    summary = t["summary"].format(
        orders=total.orders, revenue=rupiah, complaints=total.complaint_count,
        answer="-" if answered is None else f"{answered:.1f} {hours}", ratings=len(total.stars))
    return "\n".join([
        f"<h1>{escape(t['title'])}</h1>",
        f"<p>{t['generated']} {local(now):%Y-%m-%d %H:%M} WIB. {escape(summary)}.</p>",
        *(f"<div>{chart}</div>" for chart in charts),
        f"<h2>{t['per_kecamatan']}</h2>",
        _table(report, [*areas, total], [("kecamatan", lambda r: r.name)], lang),
        f"<h2>{t['per_shop']}</h2>",
        _table(report, report.shops, [("code", lambda r: r.code), ("name", lambda r: r.name),
                                      ("kecamatan", lambda r: r.kecamatan)], lang)])


def render(report: Report, now: datetime, lang: str = "en") -> str:
    title = "smsbot report: UMKM Payakumbuh" if lang != "id" else "Laporan UMKM Payakumbuh"
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{"id" if lang == "id" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>", f"<style>{_STYLE}</style></head><body>",
        body(report, now, lang), "</body></html>", ""])
