"""Messages arriving from the network, injected from outside the emulator process.

`deliver_text` and `deliver_pdus` write into DIR's storage (SIM first, then the phone); when both
are full the messages wait "at the network" (state `pending`) and arrive when space frees, as a
real network retries. A running emulator notices within a fraction of a second and raises
`+CMTI` when the client enabled it with AT+CNMI.
"""
from __future__ import annotations

import datetime as dt
import os
import random

from . import pdu as pdus, state as st
from .config import emulator_dir, is_emulator_config  # noqa: F401  (part of this API)


def deliver_pdus(directory: str | os.PathLike, pdu_hexes: list[str]) -> list[tuple[str, int] | None]:
    """Store raw PDUs exactly as a modem lists them (hex WITH the SMSC prefix): SMS-DELIVER,
    SMS-STATUS-REPORT, 8-bit binary... Returns where each went ("SM"/"ME", index), None
    for one left waiting because storage is full. Raises ValueError for hex Gammu cannot decode.
    """
    for hexed in pdu_hexes:
        pdus.decode(hexed)  # ValueError for hex Gammu cannot decode
    faults = st.load_faults(directory)
    with st.transaction(directory) as s:
        st.flush_pending(s, faults)
        earlier = len(s["pending"])       # those were waiting first and arrive first
        s["pending"].extend({"pdu": h.upper(), "stat": 0} for h in pdu_hexes)
        stored = st.flush_pending(s, faults)[earlier:]
        placed = [(st.AT_NAMES[m], i) for m, i in stored]
    return placed + [None] * (len(pdu_hexes) - len(placed))


def deliver_text(directory: str | os.PathLike, sender: str, text: str,
                 when: dt.datetime | None = None, smsc: str = pdus.DEFAULT_SMSC) -> list[str]:
    """Deliver `text` from `sender` as a real SMS-DELIVER: several concatenated parts (with
    their own 8-bit reference) when long, UCS-2 when the text is not GSM-7. Returns the PDUs."""
    hexes = pdus.deliver_pdus(sender, text, when, smsc, ref8=random.randrange(256))
    deliver_pdus(directory, hexes)
    return hexes


def waiting(directory: str | os.PathLike) -> int:
    """How many messages wait at the network for storage space."""
    return len(st.load(directory)["pending"])
