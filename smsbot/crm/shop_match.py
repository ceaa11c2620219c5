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
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process
from sqlmodel import Session, select

from smsbot.catalog import version
from smsbot.catalog.models import Product, Shop
from smsbot.store import txcache as tablecache

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


@lru_cache(maxsize=1 << 16)
def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(t for t in tokens(name) if not _SIZE.match(t) and t not in _FILLER)


@lru_cache(maxsize=1 << 16)
def _same(word: str, token: str) -> bool:
    if len(word) < 4 or len(token) < 4:
        return word == token
    return word == token or fuzz.ratio(word, token) >= FUZZY_MIN


class _Shop(NamedTuple):
    id: int
    code_key: str
    name: str


class _Product(NamedTuple):
    shop_id: int
    code_key: str
    name: str
    category: str


class _Catalog:
    """The active shops and products as plain tuples, with what every inference derives
    from them; kept per database until the catalog changes (smsbot.catalog.version)."""

    def __init__(self, shops: list[_Shop], products: list[_Product]):
        self.shops, self.products = shops, products
        self.food = _food(products)
        self.uses = _uses(shops)
        self.product_names = [(frozenset(_name_tokens(p.name)), p.shop_id) for p in products]
        self.names = {name for name, _shop in self.product_names} - {frozenset()}
        self.parts = frozenset().union(*self.names)  # every word of a product name, once
        self._long_parts = sorted(part for part in self.parts if len(part) >= 4)
        self._covered: dict[frozenset, bool] = {}

    def parts_said(self, words: list[str]) -> set[str]:
        """The product-name words that some word of the text is (`_same`: equal, or for
        words of 4+ letters a close spelling), compared in rapidfuzz's C loop."""
        said = set(self.parts.intersection(words))
        for word in set(words):
            if len(word) >= 4:
                said.update(part for part, _score, _i in process.extract(
                    word, self._long_parts, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN,
                    limit=None))
        return said

    def covered(self, name: frozenset) -> bool:
        """Some longer product name contains `name` (see _covers)."""
        known = self._covered.get(name)
        if known is None:
            known = self._covered[name] = any(_covers(other, name) for other in self.names)
        return known


def _catalog(session: Session) -> _Catalog:
    """Kept per database until the catalog version changes (smsbot.store.txcache); a session
    that changed shops or products itself builds its own."""
    return tablecache.cached(session, ("shop", "product"), _load_catalog, stamp=version.stamp)


def _load_catalog(session: Session) -> _Catalog:
    shops = [_Shop(*row) for row in session.exec(
        select(Shop.id, Shop.code_key, Shop.name).where(Shop.active == True)).all()]  # noqa: E712
    products = [_Product(*row) for row in session.exec(
        select(Product.shop_id, Product.code_key, Product.name, Product.category)
        .where(Product.active == True)).all()]  # noqa: E712
    return _Catalog(shops, products)


def infer_shop(session: Session, text: str, among: list[int] | None = None) -> Shop | None:
    """The one shop `text` clearly names, or None. `among`: only these shop ids (the shops
    of an order)."""
    catalog = _catalog(session)
    shops = catalog.shops if among is None else [s for s in catalog.shops if s.id in among]
    products = catalog.products
    by_id = {s.id for s in shops}
    words = tokens(text)
    finders = [_by_code, _by_shop_name, _by_product_name]
    if among is not None:
        finders.append(_by_product_word)
    for finder in finders:
        found = finder(words, shops, products, catalog) & by_id
        if found:
            return session.get(Shop, found.pop()) if len(found) == 1 else None
    return None


def shop_named(session: Session, text: str) -> Shop | None:
    """The one shop `text` names by its code (or a product's code) or by the distinctive
    part of its name (`uni emi`), else None; food words name no shop here (IKUTI)."""
    catalog = _catalog(session)
    words = tokens(text)
    for finder in (_by_code, _by_shop_name):
        found = finder(words, catalog.shops, catalog.products, catalog)
        if found:
            return session.get(Shop, found.pop()) if len(found) == 1 else None
    return None


def food_words(session: Session, text: str) -> list[str]:
    """The words of `text` that are food of the catalog (product-name words and categories;
    a slip of a longer word counts as the catalog's spelling), in the order typed."""
    catalog = _catalog(session)
    said: list[str] = []
    for word in tokens(text):
        if word in catalog.food and not _SIZE.match(word) and word not in _FILLER:
            said.append(word)
        elif len(word) >= 4 and (best := process.extractOne(
                word, catalog._long_parts, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)):
            said.append(best[0])
    return list(dict.fromkeys(said))


def _food(products) -> set[str]:
    return {t for p in products for t in _name_tokens(p.name) + tuple(tokens(p.category))}


def _uses(shops) -> Counter:
    return Counter(t for s in shops for t in set(_name_tokens(s.name)))


def _by_code(words, shops, products, _catalog=None) -> set[int]:
    upper = {w.upper() for w in words}
    found = {s.id for s in shops if s.code_key in upper}
    return found | {p.shop_id for p in products if p.code_key in upper}


def _by_shop_name(words, shops, products, catalog) -> set[int]:
    food = catalog.food  # `products` is always the whole catalog's
    uses = catalog.uses if shops is catalog.shops else _uses(shops)
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


def _by_product_name(words, shops, products, catalog) -> set[int]:
    said = catalog.parts_said(words)
    matched: dict[frozenset, set[int]] = {}
    for name, shop_id in catalog.product_names:
        if name and name <= said:  # every part of the name typed (allowing slips)
            matched.setdefault(name, set()).add(shop_id)
    longest = max(map(len, matched), default=0)
    found: set[int] = set()
    for name, shop_ids in matched.items():
        if len(name) == longest and not catalog.covered(name):
            found |= shop_ids
    return found


def _covers(longer: frozenset, name: frozenset) -> bool:
    """A longer product name containing `name` (allowing spelling variants: "kalamai" is
    inside "galamai original"), which makes `name` too generic to name a shop."""
    return len(longer) > len(name) and all(any(_same(part, o) for o in longer) for part in name)


def _by_product_word(words, shops, products, _catalog=None) -> set[int]:
    return {p.shop_id for p in products
            if any(_same(part, w) for part in _name_tokens(p.name) for w in words)}
