"""AT+CUSD: the balance enquiry (*888# and friends) of a prepaid SIM.

The answer comes as an unsolicited `+CUSD: 0,"<text>",<dcs>` right after OK, the way modems
deliver it. Two encodings, chosen with faults.json `ussd_mode`:

- "gsm" (default): DCS 15 and the text in the modem's current character set (UCS2 hex when
  AT+CSCS="UCS2", which Gammu selects for DialService), or packed GSM-7 hex on Huawei profiles
  (Gammu's F_ENCODED_USSD).
- "ucs2": DCS 72 and UCS2 hex whatever the character set, as Telkomsel's *888# answers.
"""
from __future__ import annotations

from . import pdu as pdus, state as st


def decode_request(modem, raw: str) -> str:
    if modem.profile.encoded_ussd:
        return pdus.unpack7(raw)
    if modem.charset == "UCS2":
        return pdus.from_ucs2_hex(raw)
    if modem.charset == "HEX":
        return bytes.fromhex(raw).decode("latin-1")
    return raw


def encode_text(modem, text: str, mode: str) -> tuple[str, int]:
    if mode == "ucs2":
        return pdus.ucs2_hex(text), 72
    if modem.profile.encoded_ussd or modem.charset == "HEX":
        return pdus.pack7(text), 15
    if modem.charset == "UCS2":
        return pdus.ucs2_hex(text), 15
    return text, 15


def reply_text(code: str, s: dict) -> str:
    replies = s.get("ussd") or {}
    if code in replies:
        return replies[code]
    if code in ("*888#", "*123#", "*555#", "*100#"):
        return s.get("balance") or st.DEFAULT_BALANCE
    return f"Layanan {code} tidak tersedia"


def answer(modem, op, args, faults):
    if op == "?":
        return ["+CUSD: 1"], "OK"
    if op == "=?":
        return ["+CUSD: (0,1,2)"], "OK"
    parts = [p.strip() for p in args.split(",")]
    if len(parts) < 2 or not parts[1]:
        return [], "OK"            # AT+CUSD=1 / =2: enable or cancel
    code = decode_request(modem, parts[1].strip('"'))
    modem.log(f"! USSD request {code!r}")
    text, dcs = encode_text(modem, reply_text(code, st.load(modem.dir)), faults.get("ussd_mode", "gsm"))
    modem.later = modem.later + [f'+CUSD: 0,"{text}",{dcs}']
    return [], "OK"
