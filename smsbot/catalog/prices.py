"""Prices as buyers read them in an SMS: short, and without long digit runs that some
operators' filters flag ("Rp. 100,000")."""


def short_price(idr: int) -> str:
    """25000 -> '25rb', 27500 -> '27.500', 1500000 -> '1,5jt', 800 -> '800'."""
    if idr >= 1_000_000 and idr % 100_000 == 0:
        millions, rest = divmod(idr, 1_000_000)
        return f"{millions}jt" if not rest else f"{millions},{rest // 100_000}jt"
    if idr >= 1000 and idr % 1000 == 0:
        return f"{idr // 1000}rb"
    return f"{idr:,}".replace(",", ".")
