"""Gammu's dummy driver: a real libGammu phone backed by a folder. Used by the demo, the
tests and the benchmarks instead of a mock."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = """[gammu]
device = {device}
connection = none
model = dummy
logfile = {logfile}
logformat = textall
"""


def write_config(folder: Path | str, name: str = "gammurc", log: str = "gammu.log") -> Path:
    """Create `folder/modem/` and a gammurc pointing at it (absolute paths), with Gammu's
    debug log at `folder/<log>` (it shows every recipient and text sent). Gammu empties its
    log at each Init, so a second connection to the same folder needs its own log."""
    folder = Path(folder).resolve()
    (folder / "modem").mkdir(parents=True, exist_ok=True)
    config = folder / name
    config.write_text(TEMPLATE.format(device=folder / "modem", logfile=folder / log))
    return config


def inbox_files(folder: Path | str) -> list[Path]:
    """SMS files still in the dummy modem's inbox folders (1 and 3)."""
    root = Path(folder).resolve() / "modem" / "sms"
    return [p for sub in ("1", "3") for p in sorted((root / sub).glob("*")) if p.is_file()]


def drop_sms(folder: Path | str, sender: str, text: str, slot: int, *, inbox: int = 1,
             when=None, reference: int = 0) -> int:
    """Write an incoming SMS straight into the dummy modem's inbox as Gammu SMS-backup files
    (what AddSMS writes, without its scan for a free slot: for loading thousands in
    benchmarks). Parts go to slots `slot`, `slot+1`, ...; a folder holds slots 1..9999.
    Returns the number of parts written."""
    import datetime as _dt

    import gammu

    from smsbot.messages.gsm7 import encode_parts

    target = Path(folder).resolve() / "modem" / "sms" / str(inbox)
    target.mkdir(parents=True, exist_ok=True)
    parts = encode_parts(text)
    for offset, part in enumerate(parts):
        udh = part.get("UDH") or {}
        if udh.get("Type") == "ConcatenatedMessages":
            raw = bytearray(udh["Text"])
            raw[3] = reference & 0xFF
            udh["Text"], udh["ID8bit"] = bytes(raw), reference & 0xFF
        part.update({"Folder": inbox, "Type": "Deliver", "State": "UnRead", "Number": sender,
                     "SMSC": {"Number": "+62816124"}, "DateTime": when or _dt.datetime.now()})
        if not 1 <= slot + offset <= 9999:
            raise ValueError("a dummy modem folder holds slots 1..9999")
        gammu.SaveSMSBackup(str(target / str(slot + offset)), [part])
    return len(parts)


def drop_message(folder: Path | str, message: dict, slot: int, *, inbox: int = 1) -> None:
    """Write any message Gammu can hold into the dummy modem's inbox at `slot`: a status
    report (`Type: Status_Report`, `MessageReference`, `DeliveryStatus`), an SMS-SUBMIT
    left in storage, an 8-bit WAP push ... (`Folder`, `State` and the SMSC are filled in)."""
    import datetime as _dt

    import gammu

    if not 1 <= slot <= 9999:
        raise ValueError("a dummy modem folder holds slots 1..9999")
    target = Path(folder).resolve() / "modem" / "sms" / str(inbox)
    target.mkdir(parents=True, exist_ok=True)
    message = {"SMSC": {"Number": "+62816124"}, "DateTime": _dt.datetime.now(), **message,
               "Folder": inbox, "State": "UnRead"}
    gammu.SaveSMSBackup(str(target / str(slot)), [message])


def drop_pdu(folder: Path | str, pdu: str, slot: int, *, inbox: int = 1) -> dict:
    """Store a real phone's TPDU (hex, with its SMSC prefix, as `AT+CMGR` shows it) in the
    dummy modem's inbox, decoded by Gammu itself. Returns what Gammu decoded."""
    from smsbot.modem.emulator.pdu import decode

    message = decode(pdu)
    drop_message(folder, message, slot, inbox=inbox)
    return message
