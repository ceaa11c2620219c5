"""GSM-7 discipline: every outgoing text is made GSM-7 before it is queued.

Feature phones show UCS-2 fine, but a UCS-2 SMS holds 70 characters instead of 160, so one
emoji or curly quote can triple what the user pays. We transliterate instead. Segments are
counted from Gammu's own encoder, so the count is what the modem will really send.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable

import gammu

# GSM 03.38 default alphabet (basic set) and the extension table (each costs two septets).
BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = set("^{}\\[~]|€\f")
GSM7 = BASIC | EXTENSION

# Characters people (and phones) commonly produce that have a plain GSM-7 equivalent.
_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
    "\u00d7": "x", "\u2022": "-", "\u00b7": ".", "\u00b0": "o", "\u2122": "TM", "\u00a9": "(c)",
    "\u00ae": "(R)", "\t": " ", "\u00b2": "2", "\u00b3": "3", "\u00bd": "1/2", "\u00bc": "1/4",
    "\u2190": "<-", "\u2192": "->", "\u2248": "~", "\u2264": "<=", "\u2265": ">=",
}


def to_gsm7(text: str) -> str:
    """Return `text` using only GSM-7 characters: transliterate what has an equivalent,
    drop emoji and invisible characters, and turn anything else into '?'."""
    if GSM7.issuperset(text):  # nearly every reply: nothing to change
        return text
    out: list[str] = []
    for ch in text:
        if ch in GSM7:
            out.append(ch)
            continue
        if ch in _REPLACEMENTS:
            out.append(_REPLACEMENTS[ch])
            continue
        category = unicodedata.category(ch)
        if category in ("So", "Sk", "Cs", "Co", "Cn", "Mn", "Me", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F:
            continue  # emoji, modifiers, combining marks, format characters: drop
        if category.startswith("C"):
            out.append(" ")  # control characters become a space
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        plain = "".join(c for c in decomposed if c in GSM7)
        out.append(plain if plain else "?")
    return "".join(out)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7 for ch in text)


_ASCII_GSM7 = frozenset(ch for ch in GSM7 if ch.isascii())


def septets(text: str) -> int:
    """Length in septets (extension characters count double)."""
    if EXTENSION.isdisjoint(text):
        return len(text)
    return len(text) + sum(text.count(ch) for ch in EXTENSION)


ONE_SMS = 160  # septets in one SMS
TWO_SMS = 306  # in two concatenated segments (153 each), the most a reply may take unpaged


def fits(text: str, limit: int = ONE_SMS) -> bool:
    """Whether `text` takes at most `limit` septets once sent: counted as the outbox gate
    counts (after to_gsm7, an extension character `{}[]~^|\\€` taking two), not in characters."""
    return septets(to_gsm7(text)) <= limit


def fit(render: Callable[[str], str], text: str, limit: int = ONE_SMS) -> str:
    """`render(text)`, or, when that does not fit `limit` septets, `render` around `text` cut
    at the end with `...`: what a user wrote (a complaint, a review) shrinks, never the
    template around it. `render` must be plain GSM-7 apart from `text`."""
    whole = render(text)
    over = septets(to_gsm7(whole)) - limit
    if over <= 0:
        return whole
    plain = to_gsm7(text)
    budget = septets(plain) - over - len("...")
    while budget > 0:
        shorter = render(_prefix(plain, budget).rstrip() + "...")
        over = septets(to_gsm7(shorter)) - limit
        if over <= 0:
            return shorter
        budget -= over  # `text` appears more than once in the template
    return render("...")


def _prefix(text: str, budget: int) -> str:
    """The longest prefix of GSM-7 `text` that takes at most `budget` septets."""
    used = 0
    for index, ch in enumerate(text):
        used += 2 if ch in EXTENSION else 1
        if used > budget:
            return text[:index]
    return text


@dataclass(frozen=True)
class Encoding:
    segments: int
    encoding: str  # "gsm7" or "ucs2"


def encode_parts(text: str) -> list[dict]:
    """The SMS parts Gammu will send for `text` (ConcatenatedAutoTextLong picks GSM-7
    unless the text needs UCS-2)."""
    return gammu.EncodeSMS(
        {"Class": -1, "Entries": [{"ID": "ConcatenatedAutoTextLong", "Buffer": text}]}
    )


def measure(text: str) -> Encoding:
    """Count segments and name the coding from the real encoder. Plain ASCII GSM-7 that
    fits one SMS (most replies) is answered without it: same result, a tenth of the cost."""
    if text and text.isascii() and len(text) <= 160 and _ASCII_GSM7.issuperset(text) \
            and septets(text) <= 160:
        return Encoding(1, "gsm7")
    parts = encode_parts(text)
    coding = parts[0].get("Coding", "Default_No_Compression") if parts else "Default_No_Compression"
    return Encoding(len(parts), "ucs2" if coding.startswith("Unicode") else "gsm7")
