"""Seller keywords that change the catalog: STOK, HARGA, PROMO, TAMBAH, HAPUS."""

from smsbot.catalog.handlers import hapus, harga, promo, stok, tambah

# handler name (grammar/keywords/*.toml `handler`, default the file name) -> handle(ctx, cmd)
KEYWORDS = {
    "hapus": hapus.handle,
    "harga": harga.handle,
    "promo": promo.handle,
    "stok": stok.handle,
    "tambah": tambah.handle,
}
