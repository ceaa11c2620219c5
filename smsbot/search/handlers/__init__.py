"""Search keywords: CARI, LAGI, LOKASI."""

from smsbot.search.handlers import cari, lagi, lokasi

# handler name (grammar/keywords/*.toml `handler`, default the file name) -> handle(ctx, cmd)
KEYWORDS = {
    "cari": cari.handle,
    "lagi": lagi.handle,
    "lokasi": lokasi.handle,
}
