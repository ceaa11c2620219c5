"""The in-memory catalog index: every active product and shop, folded words, postings.

Built once per process from the database and rebuilt when `version.stamp` changes (one
cheap query per search), so imports and STOK/HARGA changes made by any process show up on
the next search. A query never scans every product name: each query word is matched
against the *vocabulary* (a few thousand distinct words, rapidfuzz for typos), and the
postings of the matching words are combined with numpy over the product positions.

Products are stored in ranking order (in stock first, then cheaper, then code), so among
equal matches the lower position is the better result.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import select

from smsbot.catalog import version
from smsbot.catalog.models import Product, Shop
from smsbot.search.words import Query, alternatives, fold_words, is_glossary_word, table

SHOP_WEIGHT = 0.7  # a word found only in the shop's name counts less than in the product's
ADDRESS_WEIGHT = 0.3
KEEP_RATIO = 0.9  # results scoring below 90% of the best are noise, not "the next best"
PREFIX_SCORE = 90.0
DENSE_SHARE = 16  # a word on 1/16 of all products gets a dense mask (n bytes)
HEAD_TYPO = 85.0  # a typo of a food's name explains a match from this score, or lower
# when it keeps the first letter, as typos do: "gelaai" (77) is galamai, "senang" (77) is no rendang


@dataclass
class Hit:
    position: int
    code: str
    name: str
    price: int
    stock: int
    shop: int  # shop position


class Index:
    def __init__(self, products: list[tuple], shops: list[tuple], stamp: tuple = ()):
        self.stamp = stamp
        # shops: id, code, name, address, kelurahan, lat, lon, hours
        self.shop_ids = [s[0] for s in shops]
        self.shop_position = shop_pos = {s[0]: i for i, s in enumerate(shops)}  # id -> position
        self.shop_codes = [s[1] for s in shops]
        self.shop_names = [s[2] for s in shops]
        self.shop_address = [s[3] or "" for s in shops]
        self.shop_kelurahan = [s[4] or "" for s in shops]
        self.shop_lat = np.array([s[5] if s[5] is not None else np.nan for s in shops], dtype=np.float64)
        self.shop_lon = np.array([s[6] if s[6] is not None else np.nan for s in shops], dtype=np.float64)
        self.shop_hours = [s[7] or "" for s in shops]
        # products: id, code, name, category, price, stock, shop_id -> ranking order
        rows = sorted((p for p in products if p[6] in shop_pos),
                      key=lambda p: (p[5] <= 0, p[4], p[1].upper()))
        self.codes = [p[1] for p in rows]
        self.names = [p[2] for p in rows]
        self.price = np.array([p[4] for p in rows], dtype=np.int64)
        self.stock = np.array([p[5] for p in rows], dtype=np.int32)
        self.shop = np.array([shop_pos[p[6]] for p in rows], dtype=np.int32)
        self.by_code = {code.upper(): i for i, code in enumerate(self.codes)}
        self.size = len(rows)

        shop_words = [set(fold_words(name)) for name in self.shop_names]
        product_post: dict[str, list[int]] = {}
        shop_post: dict[str, list[int]] = {}
        food: set[str] = set()
        for i, p in enumerate(rows):
            own = set(fold_words(f"{p[2]} {p[3]}"))
            for word in own:
                product_post.setdefault(word, []).append(i)
            food.update(w for w in own if w.isalpha() and len(w) >= 3)
            for word in shop_words[shop_pos[p[6]]] - own:
                shop_post.setdefault(word, []).append(i)
        self.product_post = {w: np.array(v, dtype=np.int32) for w, v in product_post.items()}
        self.shop_post = {w: np.array(v, dtype=np.int32) for w, v in shop_post.items()}
        self.vocabulary = sorted(set(product_post) | set(shop_post))
        self.food_words = sorted(food - table().stopwords)
        self._food_set = frozenset(self.food_words)
        self.shop_by_word: dict[str, list[int]] = {}
        for s, words in enumerate(shop_words):
            for word in words:
                self.shop_by_word.setdefault(word, []).append(s)
        self._expand_cache: dict[str, tuple[tuple[str, float], ...]] = {}
        self._lock = threading.Lock()  # the work buffers below are reused by every search
        self._word = np.zeros(self.size, dtype=np.float32)
        self._shop_masks: dict[tuple, np.ndarray] = {}
        self._dense: dict[tuple[str, str], np.ndarray] = {}
        self.nearby = None  # smsbot.search.nearby builds its grid here on first use

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
            names = {tuple(fold_words(name)[:2]) for name in set(self.names)}
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
        if not candidates.size or query.cheapest or scores is None:
            return candidates[:limit].tolist(), unknown
        key = -scores * (self.size + 1) + candidates
        if key.size > limit:
            part = np.argpartition(key, limit)[:limit]
            key, candidates = key[part], candidates[part]
        return candidates[np.argsort(key, kind="stable")].tolist(), unknown

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
            return candidates, None, unknown  # every match exact: one tier, already in order
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


def _union(posts: list[np.ndarray]) -> np.ndarray:
    """Sorted union of postings (np.unique's hash path is ~30x slower here)."""
    merged = np.sort(np.concatenate(posts))
    return merged[np.concatenate(([True], merged[1:] != merged[:-1]))]


# -- one index per database, rebuilt when the catalog changes -------------------------------
_LOCK = threading.Lock()
_INDEXES: dict[str, Index] = {}


def load(session, *, products=None, shops=None) -> Index:
    """The fresh index for this session's database (one stamp query when nothing changed)."""
    key = str(session.get_bind().url)
    current = version.stamp(session)
    index = _INDEXES.get(key)
    if index is not None and index.stamp == current:
        return index
    with _LOCK:
        index = _INDEXES.get(key)
        if index is None or index.stamp != current:
            index = build(session, current)
            _INDEXES[key] = index
    return index


def build(session, stamp: tuple = ()) -> Index:
    connection = session.connection()
    shops = connection.execute(
        select(Shop.id, Shop.code, Shop.name, Shop.address, Shop.kelurahan, Shop.lat, Shop.lon,
               Shop.hours).where(Shop.active == True)).all()  # noqa: E712
    products = connection.execute(
        select(Product.id, Product.code, Product.name, Product.category, Product.price_idr,
               Product.stock, Product.shop_id).where(Product.active == True)).all()  # noqa: E712
    return Index([tuple(p) for p in products], [tuple(s) for s in shops], stamp)


def forget() -> None:
    """Drop every cached index (tests, or after restoring a database backup)."""
    with _LOCK:
        _INDEXES.clear()
