"""UMKM size classes (micro / small / medium / large) from assets and annual sales.

Two laws, thresholds in rupiah (../shared/data/payakumbuh/README.md):

- PP 7/2021 (in force; Pasal 35): business capital (modal usaha, land and premises excluded)
  micro <= 1 M, small <= 5 M, medium <= 10 M; annual sales micro <= 2 M, small <= 15 M,
  medium <= 50 M.
- UU 20/2008 Pasal 6: net assets (kekayaan bersih, land and premises excluded) micro <= 50 jt,
  small <= 500 jt, medium <= 10 M; annual sales micro <= 300 jt, small <= 2,5 M,
  medium <= 50 M.

Each limit is inclusive ("paling banyak"); one rupiah more is the next class. Both laws join
the two criteria with "atau" (or): a business is in the smallest class that either figure
qualifies it for. A missing figure is ignored; with neither, the class is unknown.
"""

from __future__ import annotations

CLASSES = ("micro", "small", "medium", "large")
JT = 1_000_000
M = 1_000_000_000

# law -> (asset limits, sales limits), each (micro, small, medium), inclusive
LAWS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "pp7-2021": ((1 * M, 5 * M, 10 * M), (2 * M, 15 * M, 50 * M)),
    "uu20-2008": ((50 * JT, 500 * JT, 10 * M), (300 * JT, 2_500 * JT, 50 * M)),
}
DEFAULT_LAW = "pp7-2021"


def classify(assets_idr: int | None, annual_sales_idr: int | None,
             law: str = DEFAULT_LAW) -> str:
    """'micro' | 'small' | 'medium' | 'large', or 'unknown' without figures."""
    asset_limits, sales_limits = LAWS[law]
    found = [_class(value, limits) for value, limits in
             ((assets_idr, asset_limits), (annual_sales_idr, sales_limits)) if value is not None]
    return CLASSES[min(found)] if found else "unknown"


def _class(value: int, limits: tuple[int, int, int]) -> int:
    for index, limit in enumerate(limits):
        if value <= limit:
            return index
    return len(limits)
