"""A seller's new product by SMS (TAMBAH): reading `<nama> <harga> [stok]`, the checks, and
a code in the style of the imported ones (two letters of the name and a number: `RT10`
after `RT09` for another Rendang Telur, `RA01` for a first Rendang Ayam)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select

from smsbot.catalog.models import Product, Shop
from smsbot.catalog.prices import MAX_PRICE, MIN_PRICE, parse_price
from smsbot.messages.gsm7 import is_gsm7

MAX_NAME = 40  # CARI shows `CODE name price shop`, three to an SMS
MAX_STOCK = 99_999
_CODE = re.compile(r"^([A-Z]{2})(\d{2,3})$")
_WORD = re.compile(r"[a-z]+")


@dataclass
class Draft:
    """What TAMBAH understood; `problem` names the reply when it cannot be added."""

    name: str = ""
    price: int = 0
    stock: int = 0
    problem: str = ""


def read(args: tuple[str, ...]) -> Draft:
    """`Rendang Telur 250g 25rb 50` -> name, price, stock. A trailing whole number is the
    stock only when the word before it is a price (`Lapek isi 10 5000` has no stock)."""
    words = list(args)
    stock = 0
    if len(words) >= 3 and words[-1].isdigit() and _price(words[-2]) is not None:
        text = words.pop()
        stock = int(text) if len(text) <= 5 else MAX_STOCK + 1
    price = parse_price(words[-1]) if len(words) >= 2 else None
    if price is None:
        return Draft(name=" ".join(words), problem="no_price")
    words.pop()
    if words and words[-1].lower().rstrip(".") == "rp":  # `Rp 25.000`
        words.pop()
    name = " ".join(words)
    if not name:
        return Draft(problem="no_name")
    if not MIN_PRICE <= price <= MAX_PRICE:
        return Draft(name=name, problem="bad_price")
    if stock > MAX_STOCK:
        return Draft(name=name, problem="bad_stock")
    if len(name) > MAX_NAME or not is_gsm7(name):
        return Draft(name=name, problem="bad_name")
    return Draft(name=name, price=price, stock=stock)


def _price(text: str) -> int | None:
    price = parse_price(text)
    return price if price is not None and MIN_PRICE <= price <= MAX_PRICE else None


def same_name(session: Session, shop: Shop, name: str) -> Product | None:
    """The shop's shown product of that name (any case and spacing), if there is one."""
    key = " ".join(name.lower().split())
    for product in session.exec(select(Product).where(Product.shop_id == shop.id,
                                                      Product.active == True)).all():  # noqa: E712
        if " ".join(product.name.lower().split()) == key:
            return product
    return None


def code_and_category(session: Session, name: str) -> tuple[str, str]:
    """A free code and a category: those of the products whose names start with the same
    two words (another Rendang Telur is `RT..`, category rendang), else the name's initials
    and the category of products sharing its first word."""
    words = _WORD.findall(name.lower())
    rows = session.exec(select(Product.code_key, Product.name, Product.category)).all()
    prefixes: Counter = Counter()
    categories: Counter = Counter()
    for code, other, category in rows:
        theirs = _WORD.findall(other.lower())
        match = _CODE.match(code)
        if words and theirs[:2] == words[:2] and match:
            prefixes[match.group(1)] += 1
        if words and theirs[:1] == words[:1] and category:
            categories[category] += 1
    if prefixes:
        prefix = prefixes.most_common(1)[0][0]
    elif len(words) >= 2:
        prefix = (words[0][0] + words[1][0]).upper()
    else:
        prefix = ((words[0] if words else "") + "XX")[:2].upper()
    return _free(session, prefix), (categories.most_common(1)[0][0] if categories else "")


def _free(session: Session, prefix: str) -> str:
    taken = set(session.exec(select(Product.code_key).where(
        col(Product.code_key).startswith(prefix))).all())
    number = 1 + max((int(m.group(2)) for code in taken if (m := _CODE.match(code))
                      and m.group(1) == prefix), default=0)
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def code_taken(session: Session, code: str) -> bool:
    return session.exec(select(Product.id).where(Product.code_key == code.upper())).first() is not None
