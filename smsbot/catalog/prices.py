"""Prices: as buyers read them in an SMS (short, and without long digit runs that some
operators' filters flag: "Rp. 100,000"), as sellers write them (HARGA), and a promo's."""

import re


def short_price(idr: int) -> str:
    """25000 -> '25rb', 27500 -> '27.500', 1500000 -> '1,5jt', 800 -> '800'."""
    if idr >= 1_000_000 and idr % 100_000 == 0:
        millions, rest = divmod(idr, 1_000_000)
        return f"{millions}jt" if not rest else f"{millions},{rest // 100_000}jt"
    if idr >= 1000 and idr % 1000 == 0:
        return f"{idr // 1000}rb"
    return f"{idr:,}".replace(",", ".")


MIN_PRICE, MAX_PRICE = 100, 10_000_000
_PRICE = re.compile(r"^(?:rp\.?)?(\d{1,3}(?:\.\d{3})+|\d{1,9})(?:,(\d{1,3}))?(rb|ribu|k|jt|juta)?$")


def parse_price(text: str) -> int | None:
    """A seller's price: `25000`, `25.000`, `Rp25.000`, `25rb`, `25k`, `1,5jt`."""
    match = _PRICE.match(text.lower())
    if not match:
        return None
    whole, fraction, unit = match.groups()
    scale = {"rb": 1000, "ribu": 1000, "k": 1000, "jt": 10**6, "juta": 10**6}.get(unit or "", 1)
    if fraction and scale == 1:
        return None  # 25000,50: cents are not a thing here
    value = int(whole.replace(".", "")) * scale
    if fraction:
        value += int(fraction) * scale // 10 ** len(fraction)
    return value


def promo_price(price_idr: int, percent: int) -> int:
    """Rounded down to Rp100, as sellers price."""
    return price_idr * (100 - percent) // 100 // 100 * 100
