"""Complaint and review keywords: KELUHAN, BALAS, NILAI."""

from smsbot.crm.handlers import balas, keluhan, nilai

# handler name (grammar/keywords/*.toml `handler`, default the file name) -> handle(ctx, cmd)
KEYWORDS = {
    "balas": balas.handle,
    "keluhan": keluhan.handle,
    "nilai": nilai.handle,
}
