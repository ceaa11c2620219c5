"""Search keywords: CARI, LAGI, LOKASI, INFO."""

from smsbot.search.handlers import cari, info, lagi, lokasi

# handler name (grammar/keywords/*.toml `handler`, default the file name) -> handle(ctx, cmd)
KEYWORDS = {
    "cari": cari.handle,
    "info": info.handle,
    "lagi": lagi.handle,
    "lokasi": lokasi.handle,
}
