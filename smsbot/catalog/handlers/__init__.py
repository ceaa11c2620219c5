"""Seller keywords that change the catalog: STOK, HARGA, PROMO."""

from smsbot.catalog.handlers import harga, promo, stok

# handler name (grammar/keywords/*.toml `handler`, default the file name) -> handle(ctx, cmd)
KEYWORDS = {
    "harga": harga.handle,
    "promo": promo.handle,
    "stok": stok.handle,
}
