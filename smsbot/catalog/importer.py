"""`smsbot import shops|products FILE`: upsert by code, all or nothing per file.

FILE is a CSV or an `.xlsx` (smsbot.catalog.sheets reads both, with the habits of
spreadsheets; smsbot.catalog.cells reads their numbers and phones). Every bad row is
reported with its line number (the header is line 1) and nothing is written; the admin
fixes the file and runs the same command again.

A city's file (200,000 products) is checked row by row in memory against the codes already
stored (read once, not one query per row) and then written in a few bulk INSERTs and
UPDATEs (`_write`, the one place rows reach the tables). `progress(step, done, total)` is
told along the way ("checking" then "writing").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from smsbot.catalog.cells import phone_digits, whole_number
from smsbot.catalog.models import Product, Shop
from smsbot.catalog.sheets import SheetError, open_sheet
from smsbot.clock import to_db
from smsbot.contacts.directory import ROLES
from smsbot.contacts.models import Contact
from smsbot.contacts.phones import normalize
from smsbot.search import places as gazetteer
from smsbot.store.fast_insert import insert_many, update_many

SHOP_COLUMNS = ["code", "name", "phone", "address", "kelurahan", "lat", "lon", "hours",
                "assets_idr", "annual_sales_idr"]
PRODUCT_COLUMNS = ["code", "shop_code", "name", "category", "price_idr", "unit", "stock"]
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
# the usual Indonesian mobile number, read without phonenumbers (~0.4 ms a number, 15 s a city)
_MOBILE = re.compile(r"^(?:0|\+?62)(8\d{8,11})$")
_PHONE_PUNCTUATION = re.compile(r"[\s\-.()]")
_CHUNK = 2000  # rows between progress reports

Progress = Callable[[str, int, int], None]  # (step, rows done, rows in all)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_file(engine: Engine, kind: str, path: Path, now: datetime,
                progress: Progress | None = None) -> ImportReport:
    columns = SHOP_COLUMNS if kind == "shops" else PRODUCT_COLUMNS
    progress = progress or (lambda step, done, total: None)
    report = ImportReport()
    try:
        sheet = open_sheet(path)
    except OSError as exc:
        report.errors.append(f"{path}: {exc.strerror or exc}")
        return report
    except SheetError as exc:
        report.errors.append(f"line {exc.line}: {exc}")
        return report
    missing = [c for c in columns if c not in sheet.header]
    if missing:
        report.errors.append(f"line 1: missing column(s) {', '.join(missing)}; "
                             f"expected header: {','.join(columns)}")
        return report
    where = [sheet.header.index(c) for c in columns]
    with Session(engine) as session:
        check = _ShopCheck(session) if kind == "shops" else _ProductCheck(session)
        seen: dict[str, int] = {}
        total = max(sheet.estimated_rows - 1, 1)
        try:
            for n, (line, cells) in enumerate(sheet.rows(), start=1):
                row = {c: (cells[i] if i < len(cells) else "") for c, i in zip(columns, where)}
                code = row["code"].upper()
                if code in seen:
                    report.errors.append(f"line {line}: code {code} already on line {seen[code]}")
                else:
                    seen[code] = line
                    problems = check.row(row)
                    report.errors.extend(f"line {line}: {p}" for p in problems)
                if n % _CHUNK == 0:
                    progress("checking", n, max(total, n))
        except SheetError as exc:
            report.errors.append(f"line {exc.line}: {exc}")
        progress("checking", len(seen), len(seen))
        if report.errors:
            return report
        report.created, report.updated = check.write(session, now, progress)
        session.commit()
    return report


def _defaults(model) -> dict:
    """The model's defaults for every column a row does not set (a Core INSERT does not
    apply SQLModel's Python-side defaults)."""
    return {name: info.get_default(call_default_factory=True)
            for name, info in model.model_fields.items()
            if name != "id" and not info.is_required()}


def _write(session: Session, model, rows: list[dict], ids: dict[str, int],
           progress: Progress) -> tuple[int, int]:
    """Insert the rows whose code_key is not in `ids`, update the others (by id); the one
    place an import writes shops and products. Returns (created, updated)."""
    base = _defaults(model)
    new = [{**base, **row} for row in rows if row["code_key"] not in ids]
    # version -1: "changed, number me" (smsbot.catalog.version), so every search index
    # re-reads these rows on its next search instead of serving the old price or name
    changed = [{"id": ids[row["code_key"]], **row, "version": -1}
               for row in rows if row["code_key"] in ids]
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        progress("writing", done, len(rows))

    insert_many(session, model.__table__, new, progress=advance)
    update_many(session, model.__table__, changed, progress=advance)
    return len(new), len(changed)


def _code_keys(session: Session, model) -> dict[str, int]:
    table = model.__table__
    return dict(session.connection().execute(select(table.c.code_key, table.c.id)).all())


def _int(value: str, name: str, problems: list[str], *, minimum: int = 0,
         required: bool = True) -> int | None:
    if value == "":
        if required:
            problems.append(f"{name} is empty")
        return None
    try:
        number = whole_number(value)
    except ValueError as exc:
        problems.append(f"{name} {value!r} {exc}")
        return None
    if number < minimum:
        problems.append(f"{name} {number} is below {minimum}")
    return number


def _float(value: str, name: str, low: float, high: float, problems: list[str]) -> float | None:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        problems.append(f"{name} {value!r} is not a number")
        return None
    if not low <= number <= high:
        problems.append(f"{name} {number} is out of range {low}..{high}")
    return number


def _code_and_name(row: dict) -> list[str]:
    """The checks every row shares: a usable code and a name."""
    problems = []
    if not _CODE.match(row["code"]):
        problems.append(f"code {row['code']!r} must be letters/digits, at most 16")
    if not row["name"]:
        problems.append("name is empty")
    return problems


def _phone(text: str, problems: list[str]) -> str | None:
    try:
        digits = phone_digits(text)
    except ValueError as exc:
        problems.append(f"phone {text!r} {exc}")
        return None
    fast = _MOBILE.match(_PHONE_PUNCTUATION.sub("", digits))
    phone = "+62" + fast.group(1) if fast else normalize(digits)
    if phone is None:
        problems.append(f"phone {text!r} is not a mobile number (e.g. 081234567890)")
    return phone


class _ShopCheck:
    """Checks shop rows and keeps the good ones; `write` stores them and their sellers."""

    def __init__(self, session: Session):
        self.ids = _code_keys(session, Shop)
        self.rows: list[dict] = []
        self.places: dict[str, gazetteer.Place | None] = {}

    def row(self, row: dict) -> list[str]:
        problems = _code_and_name(row)
        phone = _phone(row["phone"], problems)
        lat = lon = None
        if row["lat"] or row["lon"]:
            lat = _float(row["lat"], "lat", -90, 90, problems)
            lon = _float(row["lon"], "lon", -180, 180, problems)
        elif row["kelurahan"]:
            name = row["kelurahan"]
            if name not in self.places:
                self.places[name] = gazetteer.kelurahan(name)
            place = self.places[name]
            if place is None:
                problems.append(f"lat/lon empty and kelurahan {name!r} is not known")
            else:
                lat, lon = place.lat, place.lon
        if row["hours"] and not _HOURS.match(row["hours"]):
            problems.append(f"hours {row['hours']!r} must look like 08:00-21:00")
        assets = _int(row["assets_idr"], "assets_idr", problems, required=False)
        sales = _int(row["annual_sales_idr"], "annual_sales_idr", problems, required=False)
        if not problems:
            self.rows.append(dict(
                code=row["code"], code_key=row["code"].upper(), name=row["name"], phone=phone,
                address=row["address"], kelurahan=row["kelurahan"], lat=lat, lon=lon,
                hours=row["hours"], assets_idr=assets, annual_sales_idr=sales))
        return problems

    def write(self, session: Session, now: datetime, progress: Progress) -> tuple[int, int]:
        counts = _write(session, Shop, self.rows, self.ids, progress)
        _sellers(session, {row["phone"]: row["name"] for row in self.rows}, now)
        return counts


def _sellers(session: Session, names: dict[str, str], now: datetime) -> None:
    """Each shop's phone becomes a seller contact named after the shop; an import never
    turns an admin into a seller (what `contacts.upsert(..., promote_only=True)` does)."""
    table = Contact.__table__
    known: dict[str, tuple[int, str]] = {}
    phones = list(names)
    for start in range(0, len(phones), 500):
        chunk = phones[start:start + 500]
        query = select(table.c.phone, table.c.id, table.c.role).where(table.c.phone.in_(chunk))
        found = session.connection().execute(query)
        known.update((phone, (id_, role)) for phone, id_, role in found)
    seller = ROLES.index("seller")
    base = {**_defaults(Contact), "created_at": to_db(now)}
    insert_many(session, table, [{**base, "phone": phone, "name": name, "role": "seller"}
                                 for phone, name in names.items() if phone not in known])
    update_many(session, table, [
        {"id": known[phone][0], "name": name,
         "role": "seller" if ROLES.index(known[phone][1]) <= seller else known[phone][1]}
        for phone, name in names.items() if phone in known])


class _ProductCheck:
    """Checks product rows against the stored shops and keeps the good ones."""

    def __init__(self, session: Session):
        self.shops = _code_keys(session, Shop)
        self.ids = _code_keys(session, Product)
        self.rows: list[dict] = []

    def row(self, row: dict) -> list[str]:
        problems = _code_and_name(row)
        shop_id = self.shops.get(row["shop_code"].upper())
        if shop_id is None:
            problems.append(f"shop_code {row['shop_code']!r} is not a known shop "
                            "(import shops first)")
        price = _int(row["price_idr"], "price_idr", problems, minimum=1)
        stock = _int(row["stock"], "stock", problems) if row["stock"] else 0
        if not problems:
            self.rows.append(dict(
                code=row["code"], code_key=row["code"].upper(), shop_id=shop_id,
                name=row["name"], category=row["category"].lower(), price_idr=price,
                unit=row["unit"], stock=stock))
        return problems

    def write(self, session: Session, now: datetime, progress: Progress) -> tuple[int, int]:
        return _write(session, Product, self.rows, self.ids, progress)
