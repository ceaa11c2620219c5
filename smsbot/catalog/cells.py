"""Numbers and phones as spreadsheets write them, read into what the catalog stores.

`whole_number` accepts `25000`, `25.000`, `200.000.000`, `25,000`, `200000000.0`,
`25.000,00`, `Rp 25.000`, `Rp. 25.000`, `Rp25.000,-` and `IDR 25000`; `12.5` is not a whole
number. `phone_digits` gives back the leading 0 a spreadsheet dropped (`8123456789` ->
`08123456789`) and refuses a phone that became `6.28123E+11`: its last digits are gone.
Both raise ValueError with the reason a user should read.
"""

from __future__ import annotations

import re

_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_DASH_END = re.compile(r"[.,]-+$")  # "25.000,-": no cents
_ZERO_CENTS = re.compile(r"(?<=\d)[.,]0{1,2}$")  # "200000000.0", "25.000,00"
_PLAIN = re.compile(r"-?\d+")
_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 200.000.000
_COMMAS = re.compile(r"\d{1,3}(?:,\d{3})+")  # 200,000,000
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")


def whole_number(text: str) -> int:
    """`text` (stripped, not empty) as an int, or ValueError('is not a whole number')."""
    if text.isdigit() and text.isascii():
        return int(text)
    value = _DASH_END.sub("", _CURRENCY.sub("", text)).replace(" ", "")
    value = _ZERO_CENTS.sub("", value)
    if _PLAIN.fullmatch(value):
        return int(value)
    if _DOTS.fullmatch(value):
        return int(value.replace(".", ""))
    if _COMMAS.fullmatch(value):
        return int(value.replace(",", ""))
    if _SCIENTIFIC.match(value):
        raise ValueError("is in scientific notation (format the column as number or text)")
    raise ValueError("is not a whole number")


def phone_digits(text: str) -> str:
    """`text` with a dropped leading 0 put back; ValueError for the scientific form."""
    if _SCIENTIFIC.match(text):
        raise ValueError("lost its last digits to scientific notation "
                         "(format the phone column as text and type the number again)")
    value = _ZERO_CENTS.sub("", text)
    if value[:1] == "8" and value.isdigit() and 9 <= len(value) <= 12:
        return "0" + value
    return value
