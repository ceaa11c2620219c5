"""An incoming SMS put into a test modem as the network would deliver it: into Gammu's dummy
driver (AddSMS into its inbox folder) or into the AT emulator's storage (which raises `+CMTI`
when the bot is connected). `smsbot phone send` is the command; the demo, the tests and the
benchmarks use these functions."""

from __future__ import annotations

from pathlib import Path

import gammu

from smsbot.modem.emulator import inbox as emulator_inbox, pdu
from smsbot.modem.transport.base import TransportError
from smsbot.modem.transport.gammu_modem import GammuTransport, transport_error

_DUMMY_SMSC = {"Number": "+62816124"}


def deliver_text(gammurc: str | Path, sender: str, text: str) -> int:
    """One SMS from `sender` (a real multipart SMS when long); returns its part count."""
    directory = emulator_inbox.emulator_dir(gammurc)
    if directory is not None:
        return len(emulator_inbox.deliver_text(directory, sender, text))
    transport = GammuTransport(gammurc).open()
    try:
        return transport.inject(sender, text)
    finally:
        transport.close()


def deliver_pdus(gammurc: str | Path, pdu_hexes: list[str]) -> int:
    """Raw PDUs exactly as a modem lists them (hex with the SMSC prefix): SMS-DELIVER,
    SMS-STATUS-REPORT, 8-bit binary... Raises ValueError for hex Gammu cannot decode."""
    messages = [pdu.decode(h) for h in pdu_hexes]
    directory = emulator_inbox.emulator_dir(gammurc)
    if directory is not None:
        emulator_inbox.deliver_pdus(directory, [h.strip() for h in pdu_hexes])
        return len(messages)
    transport = GammuTransport(gammurc).open()
    try:
        machine = transport._sm()
        for message in messages:
            message.update(Folder=1, State="UnRead")
            if not (message.get("SMSC") or {}).get("Number"):
                message["SMSC"] = dict(_DUMMY_SMSC)
            try:
                machine.AddSMS(message)
            except gammu.GSMError as exc:
                raise transport_error("cannot add SMS", exc) from exc
    finally:
        transport.close()
    return len(messages)


__all__ = ["TransportError", "deliver_pdus", "deliver_text"]
