"""Broadcast keywords: DAFTAR, IKUTI, STOP, MULAI (buyers) and SIARAN, SETUJU (admin)."""

from smsbot.broadcasts.handlers import daftar, ikuti, mulai, setuju, siaran, stop

# handler name (grammar/keywords/*.toml `handler`, default the file name) -> handle(ctx, cmd)
KEYWORDS = {
    "daftar": daftar.handle,
    "ikuti": ikuti.handle,
    "mulai": mulai.handle,
    "setuju": setuju.handle,
    "siaran": siaran.handle,
    "stop": stop.handle,
}
