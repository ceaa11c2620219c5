"""Shop names as buyers tell shops apart. Many shops share their first words ("Rendang
...", "Dapoer Rendang ...", "Kerupuk Jangek Pak ..."); the owner's name is what differs.
The generic words (what a shop is or sells, how the owner is called) are data:
grammar/shop_names.toml. LOKASI drops them first to fit an SMS; INFO finds a shop by the
others, forgiving spelling slips of words of 4+ letters (rapidfuzz), as CARI does."""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

from smsbot.sms import grammar as grammar_module

FUZZY_MIN = 80  # one slip in a 5-letter name (`rusdy` ~ `rusdi`); a closer name still wins
CLEAR_GAP = 10  # a best match this far ahead of the next is the one meant
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=2)
def _listed(section: str) -> frozenset[str]:
    data = grammar_module.load().data.get("shop_names", {})
    return frozenset(w.lower() for w in data.get(section, {}).get("words", []))


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """What a shop is or sells, and how its owner is called: every word that is no name."""
    return _listed("generic") | _listed("honorific")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


GENERIC, HONORIFIC = 2, 1  # how soon LOKASI drops a word of a name; a name word is 0


def kind(word: str) -> int:
    """GENERIC (`Rendang`, `Dapoer`), HONORIFIC (`Pak`, `Uni`) or 0 (a name: `Rusdi`)."""
    folded = words(word)
    if folded and all(w in _listed("generic") for w in folded):
        return GENERIC
    if folded and all(w in generic_words() for w in folded):
        return HONORIFIC
    return 0


class Match(NamedTuple):
    shop: int  # position in the search index
    distinctive: float  # how well the distinctive words match (0-100)
    generic: int  # generic words of the query the name has too ("kerupuk rusdi")
    whole: float  # the whole query against the whole name


class _Names:
    """The distinctive words of every shop of one index, for the fuzzy look-up."""

    def __init__(self, names: list[str]):
        generic = generic_words()
        self.words = [words(name) for name in names]
        self.distinctive = [[w for w in ws if w not in generic] for ws in self.words]
        self.by_name_word = _Posts.of(self.distinctive)
        self.by_any_word = _Posts.of(self.words)


class _Posts(NamedTuple):
    shops: dict[str, list[int]]  # word -> shop positions
    vocabulary: list[str]  # the same words, for rapidfuzz

    @classmethod
    def of(cls, names: list[list[str]]) -> "_Posts":
        shops: dict[str, list[int]] = {}
        for shop, ws in enumerate(names):
            for w in set(ws):
                shops.setdefault(w, []).append(shop)
        return cls(shops, list(shops))


_CACHE: "weakref.WeakKeyDictionary[object, _Names]" = weakref.WeakKeyDictionary()


def _names(index) -> _Names:
    names = _CACHE.get(index)
    if names is None:
        names = _CACHE[index] = _Names(index.shop_names)
    return names


def find(index, text: str) -> list[Match]:
    """The shops `text` names, best first: one Match when it is clear which one, several
    when the words fit more than one shop equally ("rusdi" with three Rusdis), none when
    no shop has every distinctive word typed. Only generic words ("galamai") list the
    shops whose names have them all."""
    names = _names(index)
    typed = words(text)
    generic = generic_words()
    wanted = [w for w in typed if w not in generic]
    by_name = bool(wanted)
    posts = names.by_name_word if by_name else names.by_any_word
    wanted = wanted or typed
    found: set[int] | None = None
    for word in wanted:
        shops = set(posts.shops.get(word, ()))
        if len(word) >= 4:
            for similar, _score, _i in process.extract(word, posts.vocabulary, scorer=fuzz.ratio,
                                                       score_cutoff=FUZZY_MIN, limit=None):
                shops.update(posts.shops[similar])
        found = shops if found is None else found & shops
        if not found:
            return []
    said_generic = {w for w in typed if w in generic}
    query = " ".join(wanted)
    matches = sorted(
        (Match(shop, fuzz.token_sort_ratio(query, " ".join(names.distinctive[shop])) if by_name else 0,
               len(said_generic & set(names.words[shop])),
               fuzz.token_sort_ratio(" ".join(typed), " ".join(names.words[shop])))
         for shop in found or ()),
        key=lambda m: (-m.distinctive, -m.generic, -m.whole, index.shop_names[m.shop]))
    if len(matches) <= 1 or _clear(matches[0], matches[1]):
        return matches[:1]
    return matches


def _clear(best: Match, second: Match) -> bool:
    if best.whole == 100 or best.distinctive - second.distinctive >= CLEAR_GAP:
        return True
    return best.generic > second.generic
