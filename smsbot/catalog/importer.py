"""`smsbot import shops|products FILE.csv`: upsert by code, all or nothing per file.

Every bad row is reported with its line number (the header is line 1) and nothing is
written; the admin fixes the file and runs the same command again.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from smsbot.catalog.models import Product, Shop
from smsbot.contacts import directory as contacts
from smsbot.contacts.phones import normalize
from smsbot.search import places as gazetteer

SHOP_COLUMNS = ["code", "name", "phone", "address", "kelurahan", "lat", "lon", "hours",
                "assets_idr", "annual_sales_idr"]
PRODUCT_COLUMNS = ["code", "shop_code", "name", "category", "price_idr", "unit", "stock"]
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_file(engine: Engine, kind: str, path: Path, now: datetime) -> ImportReport:
    columns = SHOP_COLUMNS if kind == "shops" else PRODUCT_COLUMNS
    report = ImportReport()
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        report.errors.append(f"{path}: {exc.strerror or exc}")
        return report
    with handle, Session(engine) as session:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            report.errors.append(f"line 1: missing column(s) {', '.join(missing)}; "
                                 f"expected header: {','.join(columns)}")
            return report
        seen: dict[str, int] = {}
        try:
            for row in reader:
                line = reader.line_num
                row = {k: (v or "").strip() for k, v in row.items() if k}
                code = row["code"].upper()
                if code in seen:
                    report.errors.append(f"line {line}: code {code} already on line {seen[code]}")
                    continue
                seen[code] = line
                problems = (_shop_row if kind == "shops" else _product_row)(session, row, report, now)
                report.errors.extend(f"line {line}: {p}" for p in problems)
        except (UnicodeDecodeError, csv.Error) as exc:
            report.errors.append(f"line {reader.line_num}: unreadable CSV ({exc})")
        if report.errors:
            session.rollback()
            report.created = report.updated = 0
        else:
            session.commit()
    return report


def _int(value: str, name: str, problems: list[str], *, minimum: int = 0,
         required: bool = True) -> int | None:
    if value == "":
        if required:
            problems.append(f"{name} is empty")
        return None
    try:
        digits = value.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", value) else value
        number = int(digits)
    except ValueError:
        problems.append(f"{name} {value!r} is not a whole number")
        return None
    if number < minimum:
        problems.append(f"{name} {number} is below {minimum}")
    return number


def _float(value: str, name: str, low: float, high: float, problems: list[str]) -> float | None:
    try:
        number = float(value)
    except ValueError:
        problems.append(f"{name} {value!r} is not a number")
        return None
    if not low <= number <= high:
        problems.append(f"{name} {number} is out of range {low}..{high}")
    return number


def _code_and_name(row: dict) -> list[str]:
    """The checks every CSV row shares: a usable code and a name."""
    problems = []
    if not _CODE.match(row["code"]):
        problems.append(f"code {row['code']!r} must be letters/digits, at most 16")
    if not row["name"]:
        problems.append("name is empty")
    return problems


def _shop_row(session: Session, row: dict, report: ImportReport, now: datetime) -> list[str]:
    code = row["code"]
    problems = _code_and_name(row)
    phone = normalize(row["phone"])
    if phone is None:
        problems.append(f"phone {row['phone']!r} is not a mobile number (e.g. 081234567890)")
    lat = lon = None
    if row["lat"] or row["lon"]:
        lat = _float(row["lat"], "lat", -90, 90, problems)
        lon = _float(row["lon"], "lon", -180, 180, problems)
    elif row["kelurahan"]:
        place = gazetteer.kelurahan(row["kelurahan"])
        if place is None:
            problems.append(f"lat/lon empty and kelurahan {row['kelurahan']!r} is not known")
        else:
            lat, lon = place.lat, place.lon
    if row["hours"] and not _HOURS.match(row["hours"]):
        problems.append(f"hours {row['hours']!r} must look like 08:00-21:00")
    assets = _int(row["assets_idr"], "assets_idr", problems, required=False)
    sales = _int(row["annual_sales_idr"], "annual_sales_idr", problems, required=False)
    if problems:
        return problems
    shop = session.exec(select(Shop).where(Shop.code_key == code.upper())).first()
    if shop is None:
        shop = Shop(code=code, code_key=code.upper(), name=row["name"], phone=phone)
        report.created += 1
    else:
        report.updated += 1
    shop.code, shop.name, shop.phone, shop.address = code, row["name"], phone, row["address"]
    shop.kelurahan, shop.lat, shop.lon, shop.hours = row["kelurahan"], lat, lon, row["hours"]
    shop.assets_idr, shop.annual_sales_idr = assets, sales
    session.add(shop)
    session.flush()
    contacts.upsert(session, phone, now, role="seller", name=row["name"], promote_only=True)
    return []


def _product_row(session: Session, row: dict, report: ImportReport, now: datetime) -> list[str]:
    code = row["code"]
    problems = _code_and_name(row)
    shop = session.exec(select(Shop).where(Shop.code_key == row["shop_code"].upper())).first()
    if shop is None:
        problems.append(f"shop_code {row['shop_code']!r} is not a known shop (import shops first)")
    price = _int(row["price_idr"], "price_idr", problems, minimum=1)
    stock = _int(row["stock"], "stock", problems) if row["stock"] else 0
    if problems:
        return problems
    product = session.exec(select(Product).where(Product.code_key == code.upper())).first()
    if product is None:
        product = Product(code=code, code_key=code.upper(), shop_id=shop.id, name=row["name"],
                          price_idr=price)
        report.created += 1
    else:
        report.updated += 1
    product.code, product.shop_id, product.name = code, shop.id, row["name"]
    product.category = row["category"].lower()
    product.price_idr, product.unit, product.stock = price, row["unit"], stock
    session.add(product)
    return []
