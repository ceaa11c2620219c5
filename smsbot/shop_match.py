"""Which shop does a free-text complaint name? Only a clear answer counts.

KELUHAN without an order code goes to the shop it names, or to the admin alone. Three kinds
of evidence, strongest first; the first kind that finds anything decides, and it decides
only when it points at exactly one shop (two rendang shops named = not clear = admin):

1. a shop code or product code (`RDG1`, `RT01`);
2. the distinctive part of a shop's name (`Uni Emi`, `Amak Ida`): name words used by no
   other shop and by no product, and not a word said of any shop (GENERIC: `toko`, `kota`). A short word (`Emi`, `Ros`) counts only with the word
   before it (`uni emi`), so "not yet" never names "Rendang Uni Yet". Spelling slips of
   longer words are forgiven (rapidfuzz ratio >= 85: `salma` ~ `salmah`);
3. a product name typed in full (`galamai durian`; the longest names typed win) that no
   longer product name contains (`galamai` alone names no one);
4. within an order only (`among`): a word of a product one of the order's shops sells
   (`galamai` in an order from a galamai shop and a rendang shop).
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz
from sqlmodel import Session, select

from .models import Product, Shop

FUZZY_MIN = 85
_TOKEN = re.compile(r"[a-z0-9]+")
_SIZE = re.compile(r"\d+[a-z]*\Z")
_FILLER = {"isi", "kotak", "bungkus"}
# Words of shop names that buyers use about any shop ("tokonya tutup", "di kota").
GENERIC = {"toko", "tokonya", "pusat", "kota", "oleh", "warung", "kedai", "kios", "rumah",
           "makan", "dapur", "jual", "pasar", "jalan", "jl", "cabang", "produksi", "usaha",
           "ibu", "bapak", "pak", "bu", "uni", "uda", "mak", "nek", "tek", "ajo", "kak"}


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _name_tokens(name: str) -> list[str]:
    return [t for t in tokens(name) if not _SIZE.match(t) and t not in _FILLER]


def _same(word: str, token: str) -> bool:
    if len(word) < 4 or len(token) < 4:
        return word == token
    return word == token or fuzz.ratio(word, token) >= FUZZY_MIN


def infer_shop(session: Session, text: str, among: list[int] | None = None) -> Shop | None:
    """The one shop `text` clearly names, or None. `among`: only these shop ids (the shops
    of an order)."""
    shops = [s for s in session.exec(select(Shop).where(Shop.active == True)).all()  # noqa: E712
             if among is None or s.id in among]
    products = session.exec(select(Product).where(Product.active == True)).all()  # noqa: E712
    by_id = {s.id: s for s in shops}
    words = tokens(text)
    finders = [_by_code, _by_shop_name, _by_product_name]
    if among is not None:
        finders.append(_by_product_word)
    for finder in finders:
        found = finder(words, shops, products) & set(by_id)
        if found:
            return by_id[found.pop()] if len(found) == 1 else None
    return None


def _by_code(words, shops, products) -> set[int]:
    upper = {w.upper() for w in words}
    found = {s.id for s in shops if s.code_key in upper}
    return found | {p.shop_id for p in products if p.code_key in upper}


def _by_shop_name(words, shops, products) -> set[int]:
    food = {t for p in products for t in _name_tokens(p.name) + tokens(p.category)}
    uses = Counter(t for s in shops for t in set(_name_tokens(s.name)))
    found: set[int] = set()
    for shop in shops:
        name = _name_tokens(shop.name)
        for index, word in enumerate(name):
            if uses[word] > 1 or word in food or word in GENERIC:
                continue
            if len(word) >= 4 and any(_same(word, w) for w in words):
                found.add(shop.id)
            elif len(word) < 4 and index > 0 and _follows(words, name[index - 1], word):
                found.add(shop.id)
    return found


def _follows(words: list[str], before: str, word: str) -> bool:
    return any(w == word and i > 0 and _same(before, words[i - 1]) for i, w in enumerate(words))


def _by_product_name(words, shops, products) -> set[int]:
    names = {frozenset(_name_tokens(p.name)) for p in products} - {frozenset()}
    matched: dict[frozenset, set[int]] = {}
    for product in products:
        name = frozenset(_name_tokens(product.name))
        if name and all(any(_same(part, w) for w in words) for part in name):
            matched.setdefault(name, set()).add(product.shop_id)
    longest = max(map(len, matched), default=0)
    found: set[int] = set()
    for name, shop_ids in matched.items():
        if len(name) == longest and not any(_covers(other, name) for other in names):
            found |= shop_ids
    return found


def _covers(longer: frozenset, name: frozenset) -> bool:
    """A longer product name containing `name` (allowing spelling variants: "kalamai" is
    inside "galamai original"), which makes `name` too generic to name a shop."""
    return len(longer) > len(name) and all(any(_same(part, o) for o in longer) for part in name)


def _by_product_word(words, shops, products) -> set[int]:
    return {p.shop_id for p in products
            if any(_same(part, w) for part in _name_tokens(p.name) for w in words)}
