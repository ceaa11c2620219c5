"""The in-memory catalog index: every active product and shop, folded words, postings.

An `Index` is built from the catalog's rows (or made again from a snapshot's columns) and
changed in place, row by row, as the catalog changes; smsbot.search.live keeps one per
database up to date by catalog version. A query never scans every product name: each query
word is matched against the *vocabulary* (a few thousand distinct words, rapidfuzz for
typos), and the postings of the matching words are combined with numpy over the product
positions.

Among equal matches the ranking (in stock first, then cheaper, then code) is `Index.order`,
one number per product slot, so a stock or price change moves nothing.
"""

from __future__ import annotations

import bisect
import hashlib
import sys
import threading
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress
from operator import ne

import numpy as np
from rapidfuzz import fuzz, process

from smsbot import __version__
from smsbot.search.sorted_map import SortedMap
from smsbot.search.words import Query, alternatives, fold_name, is_glossary_word, table
from smsbot.sms import grammar

SHOP_WEIGHT = 0.7  # a word found only in the shop's name counts less than in the product's
ADDRESS_WEIGHT = 0.3
KEEP_RATIO = 0.9  # results scoring below 90% of the best are noise, not "the next best"
PREFIX_SCORE = 90.0
DENSE_SHARE = 16  # a word on 1/16 of all products gets a dense mask (n bytes)
HEAD_TYPO = 85.0  # a typo of a food's name explains a match from this score, or lower
# when it keeps the first letter, as typos do: "gelaai" (77) is galamai, "senang" (77) is no rendang
CODE_BITS = 27  # the ranking number: out of stock (1 bit), price (34 bits), code (27 bits)
PRICE_CAP = (1 << 34) - 1


@dataclass
class Hit:
    position: int
    code: str
    name: str
    price: int
    stock: int
    shop: int  # shop position


class Index:
    """Positions are slots that never move: a product keeps its slot for the index's life
    (a hidden product's slot is left empty, a new product takes a new one at the end), so
    a change rewrites one slot and the postings of the words that changed. The ranking
    (in stock first, then cheaper, then code) is `order`, one number per slot."""

    def __init__(self, products: Iterable[tuple], shops: list[tuple], stamp: tuple = ()):
        self.stamp = stamp
        self.unsure: set[int] = set()  # product ids applied from a transaction not yet committed
        self.changed_rows = 0  # rows applied in place since the build or the snapshot read
        # shops: id, code, name, address, kelurahan, lat, lon, hours
        one = sys.intern  # a city's names repeat ("Rendang Telur 250g"): one string each
        self.shop_ids = [s[0] for s in shops]
        self.shop_position = shop_pos = {s[0]: i for i, s in enumerate(shops)}  # id -> position
        self.shop_codes = [s[1] for s in shops]
        self.shop_names = [s[2] for s in shops]
        self.shop_address = [one(s[3] or "") for s in shops]
        self.shop_kelurahan = [one(s[4] or "") for s in shops]
        self.shop_lat = np.array([s[5] if s[5] is not None else np.nan for s in shops], dtype=np.float64)
        self.shop_lon = np.array([s[6] if s[6] is not None else np.nan for s in shops], dtype=np.float64)
        self.shop_hours = [one(s[7] or "") for s in shops]
        self._newest_shop = max(self.shop_ids, default=0)  # a shop below it not here was hidden
        # products: id, code, name, category, price, stock, shop_id, one column each, a batch
        # of rows at a time (a list of a city's 200,000 rows was a third of the build's peak)
        ids: list[int] = []
        codes: list[str] = []
        names: list[str] = []
        categories: list[str] = []
        price: list[int] = []
        stock: list[int] = []
        shop: list[int] = []
        for batch in _batches(products):
            batch = [p for p in batch if p[6] in shop_pos]
            ids += [p[0] for p in batch]
            codes += [p[1] for p in batch]
            names += [one(p[2]) for p in batch]
            categories += [one(p[3] or "") for p in batch]
            price += [p[4] for p in batch]
            stock += [p[5] for p in batch]
            shop += [shop_pos[p[6]] for p in batch]
        # slots in ranking order (in stock first, then cheaper, then by code): `order` is
        # that ranking as one number, so its stable argsort is the slots' order
        self.codes, self.price = codes, np.array(price, dtype=np.int64)
        self.stock = np.array(stock, dtype=np.int32)
        uppers = list(map(_upper, codes))
        by_code = sorted(range(len(uppers)), key=uppers.__getitem__)  # rows in code order
        keys = [uppers[i] for i in by_code]
        # each code once (code_key is unique, so always, but two rows given one code share it),
        # ranked in code order and spaced out so a new code fits between two
        first = np.fromiter(chain((True,), map(ne, keys[1:], keys)), dtype=bool, count=len(keys))
        distinct = list(compress(keys, first.tolist()))
        gap = max(1, (1 << CODE_BITS) // (len(distinct) + 1))
        rank = np.arange(1, len(distinct) + 1, dtype=np.int64) * gap
        self.code_rank = SortedMap.from_columns(distinct, array("q", rank.tobytes()))
        row_rank = np.empty(len(keys), dtype=np.int64)
        row_rank[by_code] = rank[np.cumsum(first) - 1]
        self.order = ((self.stock <= 0).astype(np.int64) << 62
                      | np.minimum(self.price, PRICE_CAP) << CODE_BITS | row_rank)
        ranked = np.argsort(self.order, kind="stable")
        self.order, self.price, self.stock = self.order[ranked], self.price[ranked], self.stock[ranked]
        self.shop = np.array(shop, dtype=np.int32)[ranked]
        self.ids = [ids[i] for i in ranked.tolist()]
        self.codes = [codes[i] for i in ranked.tolist()]
        self.names = [names[i] for i in ranked.tolist()]
        self.categories = [categories[i] for i in ranked.tolist()]
        del ids, codes, names, categories, price, stock, shop
        self.size = len(self.ids)
        slot = np.empty(self.size, dtype=np.int64)
        slot[ranked] = np.arange(self.size)
        slots = slot[by_code]  # of the rows in code order; a shared code keeps its last slot
        listed = np.maximum.reduceat(slots, np.flatnonzero(first)) if slots.size else slots
        self.by_code = SortedMap.from_columns(list(distinct), array("q", listed.tobytes()))
        del uppers, by_code, keys, distinct
        ids = np.array(self.ids, dtype=np.int64)
        by_id = np.argsort(ids, kind="stable")
        self.position_of = SortedMap.from_columns(array("q", ids[by_id].tobytes()),
                                                  array("q", by_id.astype(np.int64).tobytes()))

        shop_words = [set(fold_name(name)) for name in self.shop_names]
        product_post: dict[str, list[int]] = {}
        shop_post: dict[str, list[int]] = {}
        folded: dict[tuple[str, str], set[str]] = {}  # names repeat: each is folded once
        for i, (name, category, s) in enumerate(zip(self.names, self.categories,
                                                     self.shop.tolist())):
            own = folded.get((name, category))
            if own is None:
                own = folded[name, category] = set(fold_name(f"{name} {category}"))
            for word in own:
                product_post.setdefault(word, []).append(i)
            for word in shop_words[s] - own:
                shop_post.setdefault(word, []).append(i)
        self.product_post = _as_arrays(product_post)
        self.shop_post = _as_arrays(shop_post)
        self._lock = threading.Lock()  # the work buffers below are reused by every search
        self._word = np.zeros(self.size, dtype=np.float32)
        self._words_changed()

    def columns(self) -> dict:
        """What a snapshot keeps: flat lists and arrays, not the tables `from_columns` makes
        again from them. Call it holding `_lock`; what it returns is a copy (references to
        the same strings, which never change), so it is written out after the lock is let
        go, while searches and catch-ups go on."""
        return {
            "folding": folding(), "stamp": self.stamp, "size": self.size,
            "newest_shop": self._newest_shop, "shop_ids": np.array(self.shop_ids, dtype=np.int64),
            "shop_codes": list(self.shop_codes), "shop_names": list(self.shop_names),
            "shop_address": list(self.shop_address), "shop_kelurahan": list(self.shop_kelurahan),
            "shop_hours": list(self.shop_hours), "shop_lat": self.shop_lat.copy(),
            "shop_lon": self.shop_lon.copy(), "ids": np.array(self.ids, dtype=np.int64),
            "codes": list(self.codes), "names": list(self.names),
            "categories": list(self.categories), "price": self.price.copy(),
            "stock": self.stock.copy(), "shop": self.shop.copy(), "order": self.order.copy(),
            "codes_sorted": list(self.code_rank.keys),  # every code, its rank; its slot or -1
            "code_ranks": np.frombuffer(self.code_rank.values, dtype=np.int64).copy(),
            "code_slots": _slots_beside(self.code_rank.keys, self.by_code),
            "ids_sorted": np.frombuffer(self.position_of.keys, dtype=np.int64).copy(),
            "id_slots": np.frombuffer(self.position_of.values, dtype=np.int64).copy(),
            "product_post": dict(self.product_post), "shop_post": dict(self.shop_post),
        }

    @classmethod
    def from_columns(cls, state: dict) -> Index:
        """The index `columns` described, with its dicts and work buffers made again."""
        index = cls.__new__(cls)
        index.stamp, index.size, index._newest_shop = state["stamp"], state["size"], state["newest_shop"]
        index.unsure, index.changed_rows = set(), 0
        index.shop_ids = state["shop_ids"].tolist()
        index.shop_position = dict(zip(index.shop_ids, range(len(index.shop_ids))))
        for name in ("shop_codes", "shop_names", "shop_address", "shop_kelurahan", "shop_hours",
                     "shop_lat", "shop_lon", "codes", "names", "categories", "price", "stock",
                     "shop", "order", "product_post", "shop_post"):
            setattr(index, name, state[name])
        index.ids = state["ids"].tolist()
        index.position_of = SortedMap.from_columns(_ints(state["ids_sorted"]), _ints(state["id_slots"]))
        codes = state["codes_sorted"]
        index.code_rank = SortedMap.from_columns(codes, _ints(state["code_ranks"]))
        listed = state["code_slots"] >= 0
        index.by_code = SortedMap.from_columns(list(compress(codes, listed.tolist())),
                                               _ints(state["code_slots"][listed]))
        index._lock = threading.Lock()
        index._word = np.zeros(index.size, dtype=np.float32)
        index._words_changed()
        return index

    def _words_changed(self) -> None:
        """The vocabulary and every cache over words or postings, again."""
        self.vocabulary = sorted(set(self.product_post) | set(self.shop_post))
        stop = table().stopwords
        self.food_words = sorted(w for w in self.product_post
                                 if w.isalpha() and len(w) >= 3 and w not in stop)
        self._food_set = frozenset(self.food_words)
        self._expand_cache: dict[str, tuple[tuple[str, float], ...]] = {}
        self._shop_masks: dict[tuple, np.ndarray] = {}
        self._dense: dict[tuple[str, str], np.ndarray] = {}
        self.nearby = None  # smsbot.search.nearby builds its grid here on first use
        self._head_words = None  # food names for typos (_heads), again from the new names

    # -- ranking -------------------------------------------------------------------------
    def _order_of(self, position: int) -> int:
        """In stock first, then cheaper, then by code, as one number (lower is better)."""
        code = self.code_rank.get(self.codes[position].upper(), 0)
        price = min(int(self.price[position]), PRICE_CAP)
        return (int(self.stock[position] <= 0) << 62) | (price << CODE_BITS) | code

    def _place_code(self, code: str) -> None:
        """A new code's rank, between its neighbours'. When they are adjacent, the codes
        around it are spaced out again, a window twice as wide each time it has no room:
        new codes in one place (an import's "NW0001", "NW0002" ...) re-rank a few dozen
        codes, not all 200,000 of a city for every few products."""
        keys, ranks = self.code_rank.keys, self.code_rank.values
        at = bisect.bisect_left(keys, code)
        low = ranks[at - 1] if at else 0
        high = ranks[at] if at < len(keys) else 1 << CODE_BITS
        if high - low >= 2:
            self.code_rank[code] = (low + high) // 2
            return
        half = 8
        while True:
            start, end = max(0, at - half), min(len(keys), at + half)  # keys[start:end] + code
            low = ranks[start - 1] if start else 0
            high = ranks[end] if end < len(keys) else 1 << CODE_BITS
            count = end - start + 1
            if high - low > 2 * (count + 1) or (start == 0 and end == len(keys)):
                break
            half *= 2
        keys.insert(at, code)
        ranks.insert(at, 0)
        step = (high - low) / (count + 1)  # > 2 below 2**26 codes: ranks stay strictly apart
        for i in range(start, end + 1):
            ranks[i] = low + int(step * (i - start + 1))
            slot = self.by_code.get(keys[i])
            if slot is not None:
                self.order[slot] = self._order_of(slot)

    def first(self, candidates: np.ndarray, limit: int, scores: np.ndarray | None = None) -> list[int]:
        """The best `limit` candidates: higher score first (all equal when None), then
        by ranking order."""
        if scores is None:
            order = self.order[candidates]
            if order.size > limit:
                part = np.argpartition(order, limit)[:limit]
                candidates, order = candidates[part], order[part]
            return candidates[np.argsort(order, kind="stable")].tolist()
        if candidates.size > limit:  # keep the tiers that can place, then the best of the last
            cut = np.partition(scores, scores.size - limit)[scores.size - limit]
            above = np.flatnonzero(scores > cut)
            tied = np.flatnonzero(scores == cut)
            room = limit - above.size
            if tied.size > room:
                tied = tied[np.argpartition(self.order[candidates[tied]], room)[:room]]
            keep = np.concatenate((above, tied))
            candidates, scores = candidates[keep], scores[keep]
        return candidates[np.lexsort((self.order[candidates], -scores))].tolist()

    # -- changes in place ----------------------------------------------------------------
    def shop_at(self, code: str) -> int | None:
        """The index position of the shop with this code (any case), or None: a dict kept
        until a shop row changes, so CARI <shop code> and INFO cost the same in a city."""
        table = getattr(self, "_shop_by_code", None)
        if table is None:
            table = self._shop_by_code = {c.upper(): s for s, c in enumerate(self.shop_codes)}
        return table.get(code.upper())

    def change(self, products: list[tuple], shops: list[tuple]) -> bool:
        """Apply changed rows in place: products (id, code, name, category, price, stock,
        shop_id, active) and shops (id, code, name, address, kelurahan, lat, lon, hours,
        active), as `build` reads them. False when only a full build can show them (a shop
        hidden or shown again); the index is then unchanged."""
        for row in shops:
            if not row[8] and row[0] in self.shop_position:
                return False  # hidden: its products and its place on the map go
            if row[8] and row[0] not in self.shop_position and row[0] <= self._newest_shop:
                return False  # shown again
        with self._lock:
            if shops:
                self._shop_by_code = None  # a code may have changed or a shop come
            for row in shops:
                if row[8] and row[0] not in self.shop_position:
                    self._new_shop(row)
            words = False
            self._marks: dict[tuple[int, str], dict[int, bool]] = {}
            for row in shops:
                words |= self._change_shop(row)
            for row in products:
                words |= self._change_product(row)
            self._apply_marks()
            if words:
                self._words_changed()
            else:
                self._shop_masks = {}
            self.changed_rows += len(products) + len(shops)
        return True

    def _change_shop(self, row: tuple) -> bool:
        shop_id, code, name, address, kelurahan, lat, lon, hours, _active = row
        s = self.shop_position.get(shop_id)
        if s is None:
            return False
        self.shop_codes[s], self.shop_address[s] = code, address or ""
        self.shop_kelurahan[s], self.shop_hours[s] = kelurahan or "", hours or ""
        lat = np.nan if lat is None else lat
        lon = np.nan if lon is None else lon
        if not (self.shop_lat[s] == lat and self.shop_lon[s] == lon):
            self.shop_lat[s], self.shop_lon[s] = lat, lon
            self.nearby = None
        if name == self.shop_names[s]:
            return False
        positions = [p for p in np.flatnonzero(self.shop == s).tolist() if self._listed(p)]
        for p in positions:
            self._unpost(p)
        self.shop_names[s] = name
        for p in positions:
            self._post(p)
        return True

    def reposts(self, products: list[tuple]) -> int:
        """How many of these product rows would re-post their words (a new, hidden or renamed
        product, or one moved to another shop) rather than rewrite a price or a stock."""
        return sum(self._numbers_only(row) is None for row in products)

    def _numbers_only(self, row: tuple) -> int | None:
        """The slot of a listed product whose row changes only its price or stock (STOK,
        HARGA: the common case), else None."""
        product_id, code, name, category, _price, _stock, shop_id, active = row
        p = self.position_of.get(product_id)
        shop = self.shop_position.get(shop_id)
        if p is None or not active or shop is None or not self._listed(p) or \
                (code, name, category or "", shop) != \
                (self.codes[p], self.names[p], self.categories[p], int(self.shop[p])):
            return None
        return p

    def _change_product(self, row: tuple) -> bool:
        """One product row; True when words or postings changed."""
        product_id, code, name, category, price, stock, shop_id, active = row
        p = self._numbers_only(row)
        if p is not None:
            self.price[p], self.stock[p] = price, stock
            self.order[p] = self._order_of(p)
            return False
        p = self.position_of.get(product_id)
        shop = self.shop_position.get(shop_id)
        live = bool(active) and shop is not None
        listed = p is not None and self._listed(p)
        if p is None:
            if not live:
                return False
            p = self._new_slot(product_id)
        if listed:
            self._unpost(p)
            if not live or code.upper() != self.codes[p].upper():  # else it keeps its place
                del self.by_code[self.codes[p].upper()]
        self.codes[p], self.names[p], self.categories[p] = code, name, category or ""
        self.price[p], self.stock[p] = price, stock
        if not live:
            return True
        self.shop[p] = shop
        if code.upper() not in self.code_rank:
            self._place_code(code.upper())
        self.by_code[code.upper()] = p
        self.order[p] = self._order_of(p)
        self._post(p)
        return True

    def _listed(self, p: int) -> bool:
        return self.by_code.get(self.codes[p].upper()) == p

    def _new_shop(self, row: tuple) -> None:
        """A shop added since the build, at the end; its name and place come with `_change_shop`."""
        s = len(self.shop_ids)
        self.shop_lat = np.append(self.shop_lat, np.nan)
        self.shop_lon = np.append(self.shop_lon, np.nan)
        for column in (self.shop_codes, self.shop_names, self.shop_address, self.shop_kelurahan,
                       self.shop_hours):
            column.append("")
        self.shop_ids.append(row[0])
        self.shop_position[row[0]] = s
        self._newest_shop = max(self._newest_shop, row[0])
        self.nearby = None

    def _new_slot(self, product_id: int) -> int:
        """A slot at the end for a new product; the arrays grow before any posting names it,
        so a search running meanwhile never reads past their end."""
        p = self.size
        self.ids.append(product_id)
        self.codes.append("")
        self.names.append("")
        self.categories.append("")
        self.price, self.stock = _grown(self.price, p + 1), _grown(self.stock, p + 1)
        self.shop, self.order = _grown(self.shop, p + 1), _grown(self.order, p + 1)
        self._word = _grown(self._word, p + 1)
        self.position_of[product_id] = p
        self.size = p + 1
        return p

    def _words_of(self, p: int) -> tuple[set[str], set[str]]:
        own = set(fold_name(f"{self.names[p]} {self.categories[p]}"))
        return own, self._shop_words(int(self.shop[p])) - own

    def _shop_words(self, s: int) -> set[str]:
        """A shop name's words, folded when needed (a change) rather than kept for every shop."""
        return set(fold_name(self.shop_names[s]))

    def _post(self, p: int) -> None:
        self._mark(p, True)

    def _unpost(self, p: int) -> None:
        self._mark(p, False)

    def _mark(self, p: int, listed: bool) -> None:
        """Note that slot p is (or is no longer) under its words; `_apply_marks` rewrites
        each word's postings once for the whole change."""
        own, shop = self._words_of(p)
        for which, words in ((0, own), (1, shop)):
            for word in words:
                self._marks.setdefault((which, word), {})[p] = listed

    def _apply_marks(self) -> None:
        """Each word's postings rewritten once for every slot that came or went under it (a
        slot at a time, an import renaming 5,000 products rewrote a common word's 50,000
        positions 5,000 times: 1.3 ms a product)."""
        for (which, word), marks in self._marks.items():
            post = (self.product_post, self.shop_post)[which]
            found = post.get(word)
            gone = [p for p, listed in marks.items() if not listed]
            come = sorted(p for p, listed in marks.items() if listed)
            if found is not None and gone:
                found = found[~np.isin(found, np.array(gone, dtype=np.int32))]
            if come:
                come_array = np.array(come, dtype=np.int32)
                found = come_array if found is None or not found.size else _union([found, come_array])
            if found is None or not found.size:
                post.pop(word, None)
            else:
                post[word] = found
        self._marks = {}

    # -- words ---------------------------------------------------------------------------
    def expand(self, word: str) -> tuple[tuple[str, float], ...]:
        """Vocabulary words a query word may mean, with a 0-100 score: itself, words it
        begins (`rend` -> rendang) or typos within rapidfuzz's ratio."""
        cached = self._expand_cache.get(word)
        if cached is not None:
            return cached
        if word in self.product_post or word in self.shop_post:
            found: tuple = ((word, 100.0),)
        elif is_glossary_word(word):
            found = ((word, 100.0),) if self._glossary_post(word).size else ()
        elif len(word) <= 3 or not word.isalpha() or word in table().lexicon:
            # a food word we know but nobody sells ("ayam") is not a typo of another food
            found = ()
        else:
            scores: dict[str, float] = {}
            start = bisect.bisect_left(self.vocabulary, word)
            for candidate in self.vocabulary[start:start + 5]:
                if candidate.startswith(word):
                    scores[candidate] = PREFIX_SCORE
            cutoff = 80 if len(word) <= 5 else 75
            for candidate, score, _ in process.extract(word, self.vocabulary, scorer=fuzz.ratio,
                                                       score_cutoff=cutoff, limit=5):
                scores[candidate] = max(scores.get(candidate, 0.0), float(score))
            found = tuple(sorted(scores.items(), key=lambda kv: -kv[1])[:5])
        if len(self._expand_cache) > 50_000:
            self._expand_cache.clear()
        self._expand_cache[word] = found
        return found

    def is_food_word(self, word: str) -> bool:
        """A word that names a product or a category (not only a shop): as written, as an
        English glossary word, or as a typo of a food's name ("galamay", not "meriah" for
        the "merah" of Pinyaram Gula Merah)."""
        if word in self._food_set:
            return True
        if is_glossary_word(word):
            return bool(self.expand(word))
        if len(word) < 5 or not word.isalpha():
            return False
        return any(w in self._heads() and s >= 85 for w, s in self.expand(word))

    def explains(self, word: str, typos: bool = True) -> bool:
        """Whether a query word can stand for a match on its own: a word of a product, its
        category or its shop as written (after folding; not a size, not a variant like
        "original"), an English glossary word, or (with `typos`) a typo or beginning of a
        food's name. A chatty word that only looks like some word of a product name
        ("meriah" ~ merah) never does: a list must never be random."""
        variants = table().variants
        for candidate, score in self.expand(word):
            if candidate in variants or not (candidate.isalpha() or is_glossary_word(candidate)):
                continue
            if score == 100.0 or (typos and candidate in self._heads()
                                  and (score >= HEAD_TYPO or candidate[0] == word[0])):
                return True
        return False

    def _heads(self) -> frozenset[str]:
        """Food names: the first two words of every product name ("Rendang Telur",
        "Galamai Durian", "Pinyaram Gula ..."), computed once per index."""
        heads = getattr(self, "_head_words", None)
        if heads is None:
            names = {tuple(fold_name(name)[:2]) for name in set(self.names)}
            heads = self._head_words = frozenset(
                w for words in names for w in words if w.isalpha() and len(w) >= 3)
        return heads

    def _glossary_post(self, word: str) -> np.ndarray:
        """The products having any of a glossary word's names ("gula aren/aren")."""
        found = []
        for names in alternatives(word):
            posts = [self.product_post.get(w) for w in names]
            if any(post is None for post in posts):
                continue
            post = posts[0]
            for other in posts[1:]:
                post = np.intersect1d(post, other, assume_unique=True)
            found.append(post)
        if not found:
            return np.array([], dtype=np.int32)
        return found[0] if len(found) == 1 else _union(found)

    def suggest(self, words: list[str], limit: int = 3) -> list[str]:
        """The known food words closest to what was typed (for a reply to a miss)."""
        found: dict[str, float] = {}
        for word in (part for word in words for names in alternatives(word) for part in names):
            if len(word) < 4:  # "kok" is not a typo of "kotak"
                continue
            for candidate, score, _ in process.extract(word, self.food_words, scorer=fuzz.ratio,
                                                       score_cutoff=65, limit=limit):
                found[candidate] = max(found.get(candidate, 0.0), float(score))
        return [w for w, _ in sorted(found.items(), key=lambda kv: -kv[1])][:limit]

    # -- search --------------------------------------------------------------------------
    def search(self, query: Query, limit: int = 30) -> tuple[list[int], list[str]]:
        """Product positions, best first, and the query words nobody's catalog knows.

        Every known word must match (in the product's name or category, or less strongly
        in its shop's name); words that match nothing at all are ignored if another word
        matched. Best match first; among equal matches in stock first, then cheaper. With
        `query.cheapest` every match counts as equal, so the list is sorted by price."""
        direct = [self.by_code[w.upper()] for w in query.words if w.upper() in self.by_code]
        if direct:
            return direct[:limit], []
        candidates, scores, unknown = self.matching(query)
        if not candidates.size:
            return [], unknown
        return self.first(candidates, limit, None if query.cheapest else scores), unknown

    def shops_selling(self, query: Query) -> np.ndarray:
        """A mask over the shops: True for each with a product matching the query. Cached
        per query: buyers ask for the same few foods all day."""
        key = (tuple(query.words), tuple(query.optional), query.max_price)
        mask = self._shop_masks.get(key)
        if mask is None:
            candidates, _scores, _unknown = self.matching(query)
            mask = np.zeros(len(self.shop_names), dtype=bool)
            mask[self.shop[candidates]] = True
            if len(self._shop_masks) >= 256:
                self._shop_masks.clear()
            self._shop_masks[key] = mask
        return mask

    def matching(self, query: Query) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Every matching product position (ascending), its rounded score (None when all
        are equal), and the unknown words."""
        empty = np.array([], dtype=np.int64)
        known, unknown = [], []
        for word in query.words:
            (known if self.expand(word) else unknown).append(word)
        if not known and query.optional:
            known, optional = [w for w in query.optional if self.expand(w)], []
        else:
            optional = query.optional
        lexicon = table().lexicon
        if any(is_glossary_word(w) or w in lexicon for w in unknown):
            return empty, empty, unknown  # "chicken rendang" with no chicken is not any rendang
        # a typo explains only a query mostly made of catalog words ("galamay", not "maaf
        # salah kirim"); forms of address narrow, never explain ("nanti ke rumah uni")
        typos = 2 * len(known) >= len(query.words)
        if not self.size or not any(self.explains(w, typos) for w in known if w in query.words):
            return empty, empty, unknown
        parts = {word: self._parts(word) for word in known + optional}
        driver = min(known, key=lambda w: sum(post.size for _, post, _ in parts[w]))
        posts = [post for _, post, _ in parts[driver]]
        candidates = posts[0] if len(posts) == 1 else _union(posts)
        if query.max_price:
            candidates = candidates[self.price[candidates] <= query.max_price]
        total = np.zeros(candidates.size, dtype=np.float32)
        with self._lock:
            for word in [driver] + [w for w in known if w != driver]:
                score = self._gather(parts[word], candidates)
                keep = score > 0
                candidates, total = candidates[keep], total[keep] + score[keep]
            for word in optional:
                total += ADDRESS_WEIGHT * self._gather(parts[word], candidates)
        if not candidates.size:
            return empty, empty, unknown
        if not optional and all(len(parts[w]) == 1 and parts[w][0][0] == 100.0 for w in known):
            return candidates, None, unknown  # every match exact: one tier (first() ranks it)
        scores = np.rint(total).astype(np.int64)
        keep = scores >= KEEP_RATIO * scores.max()
        return candidates[keep], scores[keep], unknown

    def _parts(self, word: str) -> list[tuple[float, np.ndarray, tuple[str, str]]]:
        """(score, postings) a word may mean, lowest score first. A word that names food
        somewhere in the catalog must match the product itself ("rendang pedas" is not
        sanjai pedas from "Kota Randang"); other words (a seller's name) match the shop."""
        expanded = self.expand(word)
        if is_glossary_word(word):
            return [(100.0, self._glossary_post(word), ("g", word))] if expanded else []
        food = any(candidate in self.product_post for candidate, _ in expanded)
        parts = []
        for candidate, value in expanded:
            if candidate in self.product_post:
                parts.append((value, self.product_post[candidate], ("p", candidate)))
            if not food and candidate in self.shop_post:
                parts.append((value * SHOP_WEIGHT, self.shop_post[candidate], ("s", candidate)))
        return sorted(parts, key=lambda part: part[0])

    def _gather(self, parts, candidates: np.ndarray) -> np.ndarray:
        """The word's score at each candidate. A word on many products has a dense mask
        (read directly); others are written into a work buffer that is kept all zero."""
        if len(parts) == 1:
            value, post, key = parts[0]
            if post.size >= self.size // DENSE_SHARE:
                dense = self._dense.get(key)
                if dense is None:
                    dense = self._dense[key] = np.zeros(self.size, dtype=bool)
                    dense[post] = True
                return dense[candidates] * np.float32(value)
        buffer = self._word
        for value, post, _ in parts:  # the best written last
            buffer[post] = value
        score = buffer[candidates]
        for _, post, _ in parts:
            buffer[post] = 0
        return score

    def hit(self, position: int) -> Hit:
        return Hit(position, self.codes[position], self.names[position],
                   int(self.price[position]), int(self.stock[position]), int(self.shop[position]))


def _as_arrays(postings: dict[str, list[int]]) -> dict[str, np.ndarray]:
    """Each posting list as an int32 array, in place: read-only views of one array made from
    all of them (one allocation, not one per word), every Python list freed as its view
    takes its place (a city's lists and arrays side by side were most of a build's peak)."""
    lengths = [len(post) for post in postings.values()]
    data = np.fromiter(chain.from_iterable(postings.values()), dtype=np.int32, count=sum(lengths))
    data.flags.writeable = False  # a change replaces a word's array, never writes into one
    start = 0
    for word, length in zip(list(postings), lengths):
        postings[word] = data[start:start + length]
        start += length
    return postings  # type: ignore[return-value]


def _grown(column: np.ndarray, size: int) -> np.ndarray:
    """The column `size` long, its new slots zero: a longer view of the same buffer when it
    has room, else a copy into one half as large again (an import adding thousands of
    products in place copies each column a few times, not once per product)."""
    base = column.base
    if isinstance(base, np.ndarray) and base.ndim == 1 and base.size >= size and \
            base.dtype == column.dtype and column.ctypes.data == base.ctypes.data:
        return base[:size]
    bigger = np.zeros(max(size, column.size + column.size // 2 + 16), dtype=column.dtype)
    bigger[:column.size] = column
    return bigger[:size]


def _ints(column: np.ndarray) -> array:
    return array("q", column.astype(np.int64).tobytes())


def _slots_beside(codes: list[str], by_code: SortedMap) -> np.ndarray:
    """Each code's slot, -1 when it is listed nowhere. Both are sorted and every listed code
    is among `codes`, so the listed ones take the listed slots in order."""
    slots = np.full(len(codes), -1, dtype=np.int64)
    if len(by_code) == len(codes):  # nothing hidden
        slots[:] = by_code.values
    else:
        listed = set(by_code)
        slots[np.fromiter(map(listed.__contains__, codes), dtype=bool, count=len(codes))] = \
            by_code.values
    return slots


def _batches(rows: Iterable[tuple], size: int = 10_000) -> Iterator[list[tuple]]:
    """Rows a batch at a time: a database result by its partitions, a list as it is."""
    if isinstance(rows, list):
        yield rows
    elif hasattr(rows, "partitions"):
        yield from rows.partitions(size)
    else:
        yield list(rows)


def _upper(code: str) -> str:
    """A code in upper case, the same string object when it is already (most are)."""
    upper = code.upper()
    return code if upper == code else upper


def _union(posts: list[np.ndarray]) -> np.ndarray:
    """Sorted union of postings (np.unique's hash path is ~30x slower here)."""
    merged = np.sort(np.concatenate(posts))
    return merged[np.concatenate(([True], merged[1:] != merged[:-1]))]


@lru_cache(maxsize=1)
def folding() -> str:
    """A fingerprint of how words are folded (smsbot's version and the synonyms table): a
    snapshot folded otherwise would find words no query is folded to any more."""
    synonyms = grammar.load().data.get("synonyms", {})
    return hashlib.sha256(f"{__version__} {synonyms!r}".encode()).hexdigest()[:16]
