"""Fold what buyers type into canonical words, with the table in `grammar/synonyms.toml`.

Product names, categories, shop names and queries all go through `fold_words`, so the
index compares like with like: "Randang Talua" and "rendang telor" both become
["rendang", "telur"]. `parse_query` further splits a query into the words that must match,
forms of address that only narrow, a "cheapest" flag and a price cap ("dibawah 30rb").

Visitors' English (`grammar/glossary_en.toml`) is translated in queries only: "spicy" becomes
the query word "pedas/balado", which the index reads as "any of these" (`alternatives`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from smsbot.sms import grammar as grammar_module

_TOKEN = re.compile(r"[a-z0-9]+")
_REDUP = re.compile(r"\b([a-z]{3,})2\b")  # dakak2 -> dakak dakak
_SIZE = re.compile(r"\b(\d+)\s*(g|gr|grm|gram|kg|kilo|ons)\b")
_PRICE = re.compile(r"\b(?:rp\.?\s*)?(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(rb|ribu|rbu|k|jt|juta)?\b")


@dataclass(frozen=True)
class Table:
    spellings: dict[str, str]
    phrases: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # longest first
    abbreviations: dict[str, str]
    stopwords: frozenset[str]
    address: frozenset[str]
    cheapest: frozenset[str]
    shop_filler: frozenset[str]
    default_suggest: str
    english: dict[str, tuple] = field(default_factory=dict)  # first word -> (phrase, query word), longest first
    lexicon: frozenset[str] = frozenset()  # Indonesian food words the glossary names
    variants: frozenset[str] = frozenset()  # narrow a search, never make one ("original")
    phrase_starts: dict[str, tuple] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """The phrases by their first word, in the same order (longest first): a word
        that begins none is passed over at once (a city's build folds 240,000 names)."""
        starts: dict[str, list] = {}
        for source, target in self.phrases:
            starts.setdefault(source[0], []).append((source, target))
        object.__setattr__(self, "phrase_starts", {w: tuple(p) for w, p in starts.items()})


@lru_cache(maxsize=1)
def table() -> Table:
    data = grammar_module.load().data.get("synonyms", {})
    spellings: dict[str, str] = {}
    for canonical, variants in data.get("spellings", {}).items():
        for variant in variants:
            spellings[variant.lower()] = canonical.lower()
    phrases = sorted(((tuple(k.lower().split()), tuple(v.lower().split()))
                      for k, v in data.get("phrases", {}).items()),
                     key=lambda pair: -len(pair[0]))
    glossary = grammar_module.load().data.get("glossary_en", {})
    english, lexicon = _glossary(glossary, spellings, tuple(phrases))
    return Table(
        spellings=spellings,
        phrases=tuple(phrases),
        abbreviations={k.lower(): v.lower() for k, v in data.get("abbreviations", {}).items()},
        stopwords=frozenset(w.lower() for source in (data, glossary)
                            for w in source.get("stopwords", {}).get("words", [])),
        address=frozenset(w.lower() for w in data.get("address", {}).get("words", [])),
        cheapest=frozenset(w.lower() for source in (data, glossary)
                           for w in source.get("cheapest", {}).get("words", [])),
        shop_filler=frozenset(w.lower() for w in data.get("shop_filler", {}).get("words", [])),
        default_suggest=data.get("suggest", {}).get("default", "rendang, galamai"),
        english=english,
        lexicon=lexicon,
        variants=frozenset(w.lower() for w in data.get("variants", {}).get("words", [])),
    )


def _glossary(data: dict, spellings: dict[str, str], phrases: tuple) -> tuple[dict, frozenset[str]]:
    """English phrase -> one query word: its catalog names folded like the catalog and joined
    by "/" ("spicy" -> "pedas/balado"); and every Indonesian word those names use."""
    folding = Table(spellings, phrases, {}, frozenset(), frozenset(), frozenset(), frozenset(), "")
    english: dict[str, list] = {}
    lexicon: set[str] = set()
    for key, names in data.get("words", {}).items():
        folded: list[str] = []
        for name in names:
            words = _fold_with(folding, name)
            lexicon.update(w for w in words if w.isalpha())
            if words and " ".join(words) not in folded:
                folded.append(" ".join(words))
        phrase = tuple(key.lower().split())
        if folded and phrase:
            english.setdefault(phrase[0], []).append((phrase, "/".join(folded)))
    return ({first: tuple(sorted(pairs, key=lambda pair: -len(pair[0])))
             for first, pairs in english.items()}, frozenset(lexicon))


def alternatives(word: str) -> list[list[str]]:
    """A query word as "any of these names, each of these words": "pedas/balado" ->
    [["pedas"], ["balado"]]; "gula aren/aren" -> [["gula", "aren"], ["aren"]]."""
    return [name.split() for name in word.split("/")]


def is_glossary_word(word: str) -> bool:
    return "/" in word or " " in word


def _sizes(match: re.Match) -> str:
    number, unit = int(match.group(1)), match.group(2)
    if unit in ("kg", "kilo"):
        return f"{number}kg"
    if unit == "ons":
        return f"{number * 100}g"
    return f"{number}g" if number < 1000 or number % 1000 else f"{number // 1000}kg"


def raw_words(text: str) -> list[str]:
    text = _REDUP.sub(r"\1 \1", text.lower())
    text = _SIZE.sub(_sizes, text)
    return _TOKEN.findall(text)


def fold_words(text: str) -> list[str]:
    """Canonical words of a name or query, in order (duplicates kept)."""
    return list(_fold(text))


def fold_name(text: str) -> list[str]:
    """`fold_words` for a catalog name, not cached: a city's index build would otherwise fill
    the cache of what buyers type with 65,536 names (about 30 MB) and keep them."""
    return list(_fold_with(table(), text))


@lru_cache(maxsize=65536)
def _fold(text: str) -> tuple[str, ...]:
    return _fold_with(table(), text)


def _fold_with(t: Table, text: str) -> tuple[str, ...]:
    words = [t.spellings.get(w, w) for w in (t.abbreviations.get(w, w) for w in raw_words(text))]
    starts = t.phrase_starts
    if not starts or not starts.keys() & words:
        return tuple(words)
    out: list[str] = []
    i = 0
    while i < len(words):
        for source, target in starts.get(words[i], ()):
            if tuple(words[i:i + len(source)]) == source:
                out.extend(target)
                i += len(source)
                break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


@dataclass
class Query:
    words: list[str] = field(default_factory=list)  # must match (fuzzy)
    optional: list[str] = field(default_factory=list)  # forms of address: narrow only
    cheapest: bool = False
    max_price: int | None = None
    text: str = ""  # the folded query, for the record and replies


def _price(number: str, unit: str | None) -> int | None:
    value = int(number.replace(".", "").replace(",", ""))
    if unit in ("rb", "ribu", "rbu", "k"):
        value *= 1000
    elif unit in ("jt", "juta"):
        value *= 1_000_000
    return value if value >= 1000 else None


def parse_query(text: str) -> Query:
    t = table()
    query = Query()
    lowered = text.lower()
    for match in _PRICE.finditer(lowered):
        if match.group(2) or len(match.group(1).replace(".", "").replace(",", "")) >= 4:
            price = _price(match.group(1), match.group(2))
            if price:
                query.max_price = price
                lowered = lowered.replace(match.group(0), " ", 1)
    seen: set[str] = set()
    for word in _english(t, fold_words(lowered)):
        if word in seen:
            continue
        seen.add(word)
        if word in t.cheapest:
            query.cheapest = True
        elif word in t.address:
            query.optional.append(word)
        elif word not in t.stopwords and word not in ("rb", "ribu", "rp", "dibawah", "bawah",
                                                       "kurang", "maks", "max", "sampai"):
            query.words.append(word)
    query.text = " ".join(query.words + query.optional)
    return query


def _english(t: Table, words: list[str]) -> list[str]:
    """Visitors' English phrases replaced by their query words, longest phrase first: a
    single name is its words ("egg rendang" = rendang telur), several one word ("pedas/balado")."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for source, target in t.english.get(words[i], ()):
            if tuple(words[i:i + len(source)]) == source:
                out.extend([target] if "/" in target else target.split())
                i += len(source)
                break
        else:
            out.append(words[i])
            i += 1
    return out
