"""Phone numbers: `0812...`, `62812...` and `+62812...` are one contact.

Operators and services send from short codes and alphanumeric sender IDs ("TELKOMSEL",
"3636"); replying to those burns credit and can start a reply loop, so they are never
treated as people.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "ID"
MIN_PERSON_DIGITS = 8  # anything shorter is a short code
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=8192)
def normalize(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 form of `raw` (`+6281234567890`), or None when it is not a possible number.
    Cached: the same few thousand senders come back all day, and parsing is not cheap."""
    if not raw:
        return None
    text = raw.strip()
    digits = "".join(_DIGITS.findall(text))
    if not digits or len(digits) < MIN_PERSON_DIGITS or re.search(r"[A-Za-z]", text):
        return None
    if not text.startswith("+") and digits.startswith("62") and not digits.startswith("620"):
        text = "+" + digits
    elif not text.startswith("+"):
        text = digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def sender_kind(raw: str) -> str:
    """'person' for a number we may answer, 'alphanumeric' or 'shortcode' otherwise."""
    text = (raw or "").strip()
    if not text or re.search(r"[A-Za-z]", text):
        return "alphanumeric"
    return "person" if normalize(text) else "shortcode"


def local_form(e164: str) -> str:
    """`+6281234567890` -> `081234567890`, the form Indonesians write and read."""
    if e164.startswith("+62"):
        return "0" + e164[3:]
    return e164
