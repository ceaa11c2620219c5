"""Order keywords: the buyer's PESAN, YA, ANTAR, AMBIL, BATAL, STATUS and the seller's TERIMA, TOLAK, KIRIM."""

from smsbot.orders.handlers import (
    ambil,
    antar,
    batal,
    kirim,
    pesan,
    status,
    terima,
    tolak,
    ya,
)

# handler name (grammar/keywords/*.toml `handler`, default the file name) -> handle(ctx, cmd)
KEYWORDS = {
    "ambil": ambil.handle,
    "antar": antar.handle,
    "batal": batal.handle,
    "kirim": kirim.handle,
    "pesan": pesan.handle,
    "status": status.handle,
    "terima": terima.handle,
    "tolak": tolak.handle,
    "ya": ya.handle,
}
