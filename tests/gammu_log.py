"""Read what Gammu's own debug log (`logformat = textall`) says was sent."""

import re
from pathlib import Path

_SEND = re.compile(r"Entering GSM_SendSMS\n(.*?)Leaving GSM_SendSMS", re.S)
_RECIPIENT = re.compile(r'Recipient number "([^"]*)"')
_TEXT = re.compile(r"7 bit SMS, length \d+, \d+\n(.*?)\n", re.S)
_UDH = re.compile(r"UDH, length \d+\n\n([^\n]*)")


def sends(log: Path) -> list[dict]:
    """One dict per SMS part the modem sent: recipient, text, udh bytes (hex, or '')."""
    found = []
    for block in _SEND.findall(Path(log).read_text(errors="replace")):
        recipient = _RECIPIENT.search(block)
        text = _TEXT.search(block)
        udh = _UDH.search(block)
        found.append({
            "to": recipient.group(1) if recipient else "",
            "text": text.group(1) if text else "",
            "udh": _udh_bytes(udh.group(1)) if udh else "",
        })
    return found


def _udh_bytes(line: str) -> str:
    """Gammu's dump line `05 |00 |03 |5AZ|02 |02   ...Z..`: each cell is two hex digits
    plus the byte's character when printable ('Z' for 0x5A); then the ASCII column."""
    cells = line.split("|")
    return " ".join(cell.strip()[:2] for cell in cells if cell.strip()[:2])


def messages(log: Path) -> list[tuple[str, str]]:
    """Whole messages: parts joined by their concatenation reference."""
    out: list[tuple[str, str]] = []
    groups: dict[tuple, list[str]] = {}
    for part in sends(log):
        udh = part["udh"].split()
        if len(udh) == 6 and udh[:3] == ["05", "00", "03"]:
            key = (part["to"], udh[3])
            groups.setdefault(key, []).append(part["text"])
            if int(udh[5], 16) == int(udh[4], 16):
                out.append((part["to"], "".join(groups.pop(key))))
        else:
            out.append((part["to"], part["text"]))
    return out
