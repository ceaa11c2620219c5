"""PDUs through Gammu's own codec (python-gammu), never hand-rolled bit packing.

Stored messages are hex strings exactly as a modem lists them: SMSC address first, then the TPDU.
Gammu has no encoder for SMS-STATUS-REPORT, so `status_report` assembles one from fields
that Gammu itself encoded (addresses and timestamps cut out of DELIVER PDUs).
"""
from __future__ import annotations

import datetime as dt

import gammu

DEFAULT_SMSC = "+62816124"


def tpdu_length(pdu_hex: str) -> int:
    """Octets after the SMSC field: the <length> of +CMGL/+CMGR/+CMGS."""
    smsc_len = int(pdu_hex[:2], 16)
    return len(pdu_hex) // 2 - 1 - smsc_len


def first_octet(pdu_hex: str) -> int:
    smsc_len = int(pdu_hex[:2], 16)
    return int(pdu_hex[2 + 2 * smsc_len: 4 + 2 * smsc_len], 16)


def wants_status_report(pdu_hex: str) -> bool:
    """TP-SRR, bit 5 of an SMS-SUBMIT's first octet."""
    return bool(first_octet(pdu_hex) & 0x20)


def decode(pdu_hex: str) -> dict:
    """A PDU as a modem lists it (hex with the SMSC prefix), decoded by Gammu. Raises
    ValueError for anything that is not one."""
    try:
        return gammu.DecodePDU(bytes.fromhex(pdu_hex.strip()), SMSC=True)
    except (ValueError, gammu.GSMError) as exc:
        raise ValueError(f"not an SMS PDU (hex with the SMSC prefix): {pdu_hex[:40]!r}") from exc


def _aware(when: dt.datetime | None) -> dt.datetime:
    when = when or dt.datetime.now(dt.timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def text_parts(text: str) -> list[dict]:
    """Gammu's split: GSM-7 when possible, UCS-2 otherwise, concatenation UDH when long."""
    return gammu.EncodeSMS({"Class": -1, "Entries": [{"ID": "ConcatenatedAutoTextLong", "Buffer": text}]})


def deliver_pdus(sender: str, text: str, when: dt.datetime | None = None,
                 smsc: str = DEFAULT_SMSC, ref8: int | None = None) -> list[str]:
    """SMS-DELIVER PDUs (hex, with SMSC) for `text` from `sender`, one per part."""
    parts = text_parts(text)
    out = []
    for part in parts:
        part = dict(part)
        if ref8 is not None and part["UDH"]["Type"] != "NoUDH":
            udh = bytearray(part["UDH"]["Text"])
            # UDHL 05, IEI 00, IEDL 03, reference, total parts, this part
            if len(udh) >= 6 and udh[1] == 0x00:
                udh[3] = ref8 & 0xFF
                part["UDH"] = dict(part["UDH"], Text=bytes(udh), ID8bit=ref8 & 0xFF)
        part.update(Type="Deliver", Number=sender, SMSC={"Number": smsc}, DateTime=_aware(when),
                    Folder=1, State="UnRead")
        out.append(gammu.EncodePDU(part, Layout="Deliver").hex())
    return out


def _deliver_fields(number: str, when: dt.datetime, smsc: str) -> tuple[str, str, str]:
    """(smsc field, address field, timestamp) hex, cut from a DELIVER Gammu encoded."""
    sms = dict(text_parts("x")[0], Type="Deliver", Number=number, SMSC={"Number": smsc},
               DateTime=_aware(when), Folder=1, State="UnRead")
    pdu = gammu.EncodePDU(sms, Layout="Deliver").hex()
    n = 2 + 2 * int(pdu[:2], 16)
    smsc_field, rest = pdu[:n], pdu[n + 2:]          # skip the first octet
    digits = int(rest[:2], 16)
    alen = 4 + 2 * ((digits + 1) // 2)
    address, rest = rest[:alen], rest[alen:]
    scts = rest[4:18]                                  # after PID and DCS
    return smsc_field, address, scts


def status_report(recipient: str, mr: int, submitted: dt.datetime, delivered: dt.datetime,
                  status: int = 0, smsc: str = DEFAULT_SMSC) -> str:
    """SMS-STATUS-REPORT (TP-MTI 10, TP-MMS set) for message reference `mr`; status 0 = delivered."""
    smsc_field, address, scts = _deliver_fields(recipient, submitted, smsc)
    dt_field = _deliver_fields(recipient, delivered, smsc)[2]
    return f"{smsc_field}06{mr & 0xFF:02X}{address}{scts}{dt_field}{status:02X}".upper()


def pack7(text: str) -> str:
    """GSM-7 packed septets as hex (Huawei's encoded USSD), from Gammu's SUBMIT encoder."""
    sms = dict(text_parts(text)[0], Number="123", SMSC={"Number": DEFAULT_SMSC})
    pdu = gammu.EncodePDU(sms).hex()
    nbytes = (len(text) * 7 + 7) // 8
    return pdu[-2 * nbytes:].upper() if nbytes else ""


def unpack7(packed_hex: str) -> str:
    """Inverse of pack7, through Gammu's DELIVER decoder."""
    data = bytes.fromhex(packed_hex)
    septets = len(data) * 8 // 7
    smsc_field, address, scts = _deliver_fields("123", dt.datetime(2020, 1, 1), DEFAULT_SMSC)
    pdu = f"{smsc_field}04{address}0000{scts}{septets:02X}{packed_hex}"
    text = decode(pdu)["Text"]
    # The last septet of a full octet run is padding (0 = '@', or CR per 23.038).
    if septets * 7 % 8 == 0 or len(text) > septets:
        text = text.rstrip("@\r")
    return text.rstrip("\r")


def ucs2_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def from_ucs2_hex(data: str) -> str:
    return bytes.fromhex(data).decode("utf-16-be")
