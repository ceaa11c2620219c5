#!/usr/bin/env python3
"""gammu-smsd `RunOnReceive` hook for the benchmark's peer: the classic per-message process.

gammu-smsd runs this once per received SMS (all its parts) with the message in the
environment (SMS_1_NUMBER, SMS_n_TEXT, DECODED_1_TEXT for multipart). It answers through the
code behind `smsbot chat` (one JSON line in, replies out, same database) and writes each
reply into the smsd outbox as a `.smsbackup` file, so long replies keep their concatenation.
The outbox is $SMSD_OUTBOX, else the `outbox/` folder next to $SMSBOT_DB.
"""

import io
import json
import os
import sys
from pathlib import Path

import gammu

from smsbot.sim.chat import run_chat
from smsbot.sms import grammar
from smsbot.store import engine as db


def main() -> int:
    number = os.environ.get("SMS_1_NUMBER", "")
    text = os.environ.get("DECODED_1_TEXT")
    if text is None:
        count = int(os.environ.get("SMS_MESSAGES", "1") or 1)
        text = "".join(os.environ.get(f"SMS_{i}_TEXT", "") for i in range(1, count + 1))
    db_path = Path(os.environ["SMSBOT_DB"])
    outbox = Path(os.environ.get("SMSD_OUTBOX") or db_path.parent / "outbox")
    engine = db.make_engine(str(db_path))
    out = io.StringIO()
    run_chat(engine, [json.dumps({"from": number, "text": text})], out, grammar.load(),
             err=sys.stderr)
    for serial, line in enumerate(out.getvalue().splitlines()):
        reply = json.loads(line)
        parts = gammu.EncodeSMS({"Class": -1, "Entries": [
            {"ID": "ConcatenatedAutoTextLong", "Buffer": reply["text"]}]})
        for part in parts:
            part["Number"] = reply["to"]
            part["SMSC"] = {"Location": 1}
        name = f"OUTA_{reply['to']}_{os.getpid()}{serial:02d}.smsbackup"
        tmp = outbox / f".{name}.tmp"
        gammu.SaveSMSBackup(str(tmp), parts)
        tmp.rename(outbox / name)  # smsd never sees a half-written file
    return 0


if __name__ == "__main__":
    sys.exit(main())
