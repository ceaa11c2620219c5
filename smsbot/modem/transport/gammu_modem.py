"""A GSM modem (or Gammu's dummy driver) through python-gammu.

One thread owns one StateMachine: python-gammu serialises calls per object, but concurrent
senders on one StateMachine gave spurious timeouts, and the serial port is exclusive.
Incoming SMS are polled (the IncomingSMS callback is unreliable on many modems and never
fires on the dummy). Every call into libGammu runs under a deadline (see
smsbot.modem.transport.watchdog): a hung modem costs `call_timeout` seconds, not libGammu's
own minutes, and is then reopened.
"""

from __future__ import annotations

import logging
import os
import re
import time
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import gammu

from smsbot.messages.gsm7 import encode_parts
from smsbot.modem.transport.base import (
    BINARY,
    OTHER,
    STATUS_REPORT,
    SUBMIT,
    TEXT,
    DeliveryReport,
    IncomingSMS,
    TransportError,
)
from smsbot.modem.transport.watchdog import WatchedMachine

log = logging.getLogger(__name__)

MULTIPART_WAIT_SECONDS = 600  # a part missing this long: answer what arrived
_CONCAT_TYPES = ("ConcatenatedMessages", "ConcatenatedMessages16bit")
_TEXT_CODINGS = ("Default_No_Compression", "Unicode_No_Compression")  # GSM-7, UCS-2
_KINDS = {"Deliver": TEXT, "Status_Report": STATUS_REPORT, "Submit": SUBMIT}
USSD_TIMEOUT_SECONDS = 30
# A call into libGammu (a read, a delete) that takes longer than this is aborted and the modem
# reopened; a send (one part) gets SEND_TIMEOUT_FACTOR times as long, since the network's
# answer to +CMGS may take tens of seconds on a busy cell, and so does Init (some twenty AT
# commands on a modem that may answer slowly).
CALL_TIMEOUT_SECONDS = 30.0
SEND_TIMEOUT_FACTOR = 3


def _errors(*names: str) -> tuple:
    return tuple(getattr(gammu, name) for name in names if hasattr(gammu, name))


# Gammu errors that no retry will fix.
_PERMANENT = _errors("ERR_INVALIDDATA", "ERR_UNKNOWNRESPONSE")
# The link to the modem failed; the message in hand is not to blame. Reconnect.
_LINK = _errors(
    "ERR_TIMEOUT", "ERR_NOTCONNECTED", "ERR_DEVICEOPENERROR", "ERR_DEVICENOTEXIST",
    "ERR_DEVICEBUSY", "ERR_DEVICELOCKED", "ERR_DEVICENOPERMISSION", "ERR_DEVICEREADERROR",
    "ERR_DEVICEWRITEERROR", "ERR_DEVICENOTWORK", "ERR_DEVICENODRIVER",
    "ERR_DEVICECHANGESPEEDERROR", "ERR_DEVICEDTRRTSERROR", "ERR_DEVICEPARITYERROR",
    "ERR_PHONEOFF", "ERR_NOTRUNNING", "ERR_NOSIM", "ERR_SECURITYERROR", "ERR_BUSY",
    "ERR_ABORTED", "ERR_NOECHO")
# A send failed with these after the PDU may have gone out (no +CMGS answer, the link broke
# mid-call): maybe sent. Every other error means the modem refused it or was never reached.
_MAYBE_SENT = _errors("ERR_TIMEOUT", "ERR_ABORTED", "ERR_DEVICEREADERROR",
                      "ERR_DEVICEWRITEERROR", "ERR_DEVICENOTWORK")


def transport_error(message: str, exc: Exception) -> TransportError:
    """Map a Gammu error to a TransportError. Everything that is neither permanent nor a
    link failure (CMS errors: ERR_FULL, ERR_NETWORK_ERROR, ERR_UNKNOWN ...) is charged to
    the message (retried with backoff) and also reopens the modem, which often clears a
    modem stuck in a bad state."""
    text = f"{message}: {_describe(exc)}"
    if isinstance(exc, _PERMANENT):
        return TransportError(text, permanent=True)
    if isinstance(exc, _LINK):
        return TransportError(text, link=True)
    return TransportError(text, reconnect=True)


class GammuTransport:
    def __init__(self, config: str | Path, *, section: int = 0, name: str | None = None,
                 smsc: dict | None = None, multipart_wait: float = MULTIPART_WAIT_SECONDS,
                 delivery_reports: bool = False,
                 call_timeout: float | None = CALL_TIMEOUT_SECONDS,
                 send_timeout: float | None = None):
        """`call_timeout`: seconds any modem call may take before the watchdog aborts it
        (None or 0: no watchdog); `send_timeout`: the same for each part of a send and for
        Init (default SEND_TIMEOUT_FACTOR x call_timeout)."""
        self.config = str(config)
        self.call_timeout = call_timeout
        self.send_timeout = (send_timeout if send_timeout is not None
                             else (call_timeout or 0) * SEND_TIMEOUT_FACTOR)
        self.delivery_reports = delivery_reports
        self.section = section
        self.name = name or Path(self.config).stem
        self.smsc = smsc or {"Location": 1}
        self.multipart_wait = multipart_wait
        self._first_seen: dict[tuple, float] = {}
        # GetSMSStatus only while the inbox is idle: with SMS arriving, reading at once saves
        # a call (on the dummy driver a count opens every stored file once more)
        self._busy = True
        self.machine: gammu.StateMachine | None = None

    # -- connection -------------------------------------------------------------------
    def open(self) -> "GammuTransport":
        _pin_local_timezone()
        machine = WatchedMachine(self._new_machine(), self.call_timeout,
                                 {"SendSMS": self.send_timeout, "Init": self.send_timeout})
        try:
            machine.ReadConfig(Section=self.section, Filename=self.config)
            machine.Init()
        except gammu.GSMError as exc:
            machine.stop_watching()
            raise TransportError(f"cannot open modem {self.config}: {_describe(exc)}",
                                 link=True) from exc
        self.machine = machine
        return self

    def _new_machine(self):
        """The StateMachine (a seam for smsbot.modem.transport.faulty)."""
        return gammu.StateMachine()

    def close(self) -> None:
        if self.machine is not None:
            try:
                self.machine.Terminate()
            except gammu.GSMError:
                pass
            self.machine.stop_watching()
            self.machine = None

    def _sm(self) -> gammu.StateMachine:
        if self.machine is not None and self.machine.aborted:
            self.close()  # the watchdog aborted it: a StateMachine is dead after Abort()
        if self.machine is None:
            self.open()
        return self.machine

    # -- receiving ----------------------------------------------------------------------
    def receive(self) -> list[IncomingSMS]:
        machine = self._sm()
        try:
            if self._busy:  # the last read found SMS (or none was made yet): read on
                raw = self._read_all(machine)
            else:  # an idle inbox: the cheap count first
                status = machine.GetSMSStatus()
                stored = status.get("SIMUsed", 0) + status.get("PhoneUsed", 0)
                if stored == 0:
                    return []
                raw = self._read_all(machine, stored)
        except gammu.GSMError as exc:
            raise transport_error("reading SMS failed", exc) from exc
        self._busy = bool(raw)
        messages = []
        for group in _link(raw):
            sms = self._assemble(group)
            if sms is not None:
                messages.append(sms)
        return messages

    def _read_all(self, machine, stored: int | None = None) -> list[dict]:
        """Every inbox SMS on the modem. With `stored` (GetSMSStatus's count of all folders)
        it stops after that many: the call that would only answer ERR_EMPTY walks every
        empty location of every folder on the dummy (50,000 file look-ups). An SMS arriving
        meanwhile is read at the next poll."""
        found: list[dict] = []
        location = None
        seen = 0
        while stored is None or seen < stored:
            try:
                if location is None:
                    batch = machine.GetNextSMS(Folder=0, Start=True)
                else:
                    batch = machine.GetNextSMS(Folder=0, Location=location)
            except gammu.ERR_EMPTY:
                return found
            location = batch[0]["Location"]
            seen += 1  # one location (one stored SMS) per call
            found.extend(m for m in batch if m.get("InboxFolder"))
        return found

    def _assemble(self, group: list[dict]) -> IncomingSMS | None:
        first = group[0]
        udh = first.get("UDH") or {}
        kind = kind_of(first)
        if kind == STATUS_REPORT:
            return self._report(first)
        if kind == TEXT and udh.get("Type") in _CONCAT_TYPES and len(group) < udh.get("AllParts", 1):
            key = (first.get("Number"), udh.get("ID8bit"), udh.get("ID16bit"), udh.get("AllParts"))
            seen = self._first_seen.setdefault(key, time.monotonic())
            if time.monotonic() - seen < self.multipart_wait:
                return None  # wait for the missing parts
            log.warning("multipart SMS from %s incomplete after %ss: answering %d of %d parts",
                        first.get("Number"), self.multipart_wait, len(group), udh.get("AllParts"))
        text = _text_of(group) if kind != BINARY else "".join(_hex(m.get("Text")) for m in group)
        sent_at = first.get("DateTime")
        return IncomingSMS(
            sender=first.get("Number") or "", text=text,
            sent_at=sent_at if isinstance(sent_at, datetime) else None,
            smsc=(first.get("SMSC") or {}).get("Number", "") or "",
            parts=len(group),
            uid=f"{udh.get('ID8bit', -1)}:{udh.get('ID16bit', -1)}" if len(group) > 1 else "",
            handle=[m["Location"] for m in group],
            kind=kind,
        )

    @staticmethod
    def _report(message: dict) -> IncomingSMS:
        """A status report: `Number` is the recipient of our SMS, `MessageReference` the
        reference the modem gave it, `SMSCDateTime` the discharge time (delivery, or when
        the network gave up). TP-Status (GSM 03.40 9.2.3.15): below 0x20 done, 0x20-0x3F
        the network still tries, 0x40 and above failed for good."""
        code = int(message.get("DeliveryStatus") or 0)
        outcome = "delivered" if code < 0x20 else "pending" if code < 0x40 else "failed"
        sent_at = message.get("DateTime")
        done_at = message.get("SMSCDateTime")
        report = DeliveryReport(reference=int(message.get("MessageReference") or 0),
                                outcome=outcome, code=code,
                                at=done_at if isinstance(done_at, datetime) else None)
        return IncomingSMS(
            sender=message.get("Number") or "", text=_as_text(message.get("Text")),
            sent_at=sent_at if isinstance(sent_at, datetime) else None,
            smsc=(message.get("SMSC") or {}).get("Number", "") or "",
            handle=[message["Location"]], kind=STATUS_REPORT, report=report)

    def delete(self, sms: IncomingSMS) -> None:
        machine = self._sm()
        for location in sms.handle or []:
            try:
                machine.DeleteSMS(Folder=0, Location=location)
            except gammu.ERR_EMPTY:
                pass  # already gone
            except gammu.GSMError as exc:
                raise transport_error("delete failed", exc) from exc

    # -- sending ------------------------------------------------------------------------
    def send(self, to: str, text: str, reference: int = 0) -> str:
        """Send all parts of one SMS. `reference` (e.g. the outbox id) becomes the
        concatenation reference, so two long messages never share one. Returns the message
        references the modem gave the parts, comma-separated (a status report names one).
        With `delivery_reports`, each part asks the network for a status report."""
        machine = self._sm()
        refs = []
        for encoded in _encoded(text):
            part = dict(encoded)  # the encoding is shared: the reference is this message's
            if part.get("UDH"):
                part["UDH"] = dict(part["UDH"])
            _set_concat_reference(part, reference)
            part["SMSC"] = dict(self.smsc)
            part["Number"] = to
            if self.delivery_reports:
                part["Type"] = "Status_Report"  # Gammu's way to set TP-SRR on a SUBMIT
            try:
                refs.append(str(machine.SendSMS(part)))
            except gammu.GSMError as exc:
                error = transport_error(f"send to {to} failed", exc)
                error.maybe_sent = bool(refs) or isinstance(exc, _MAYBE_SENT)
                raise error from exc
        return ",".join(refs)

    # -- status -------------------------------------------------------------------------
    def status(self, ussd: str | None = None, timeout: float = USSD_TIMEOUT_SECONDS) -> dict:
        """What the admin wants to know about the modem: identity, signal, network, SMS
        memory use and (with `ussd`, e.g. '*888#') the operator's balance answer. Each
        field is filled independently: one unsupported call does not hide the others."""
        machine = self._sm()
        info: dict = {}

        def ask(key, call):
            try:
                info[key] = call()
            except gammu.GSMError as exc:
                info[key] = f"(not available: {_describe(exc)})"

        ask("manufacturer", machine.GetManufacturer)
        ask("model", lambda: " ".join(dict.fromkeys(  # ('E173', 'E173') on a known model
            x for x in machine.GetModel() if x and x != "unknown")))
        ask("firmware", lambda: machine.GetFirmware()[0])
        ask("imei", machine.GetIMEI)
        ask("signal", machine.GetSignalQuality)
        ask("network", machine.GetNetworkInfo)
        ask("sms_memory", machine.GetSMSStatus)
        if ussd:
            ask("ussd", lambda: self._ussd(machine, ussd, timeout))
        return info

    @staticmethod
    def _ussd(machine, code: str, timeout: float) -> str:
        """python-gammu has no GetUSSD: listen for the USSD event, dial, and read the device
        until it arrives. No Gammu call may be made inside the callback."""
        answers: list[dict] = []

        def on_event(_machine, kind, data):
            if kind == "USSD":
                answers.append(data)

        machine.SetIncomingCallback(on_event)
        machine.SetIncomingUSSD(True)
        try:
            machine.DialService(code)
            deadline = time.monotonic() + timeout
            while not answers and time.monotonic() < deadline:
                machine.ReadDevice()
        finally:
            try:
                machine.SetIncomingUSSD(False)
            except gammu.GSMError:
                pass
        if not answers:
            return f"(no answer to {code} within {timeout:.0f}s)"
        text = answers[0].get("Text", "")
        return readable_ussd(text) if text else f"({answers[0].get('Status', 'empty answer')})"

    # -- injecting (dummy modem only) -----------------------------------------------------
    def inject(self, sender: str, text: str, when: datetime | None = None,
               reference: int | None = None) -> int:
        """Put an incoming SMS (as a real multipart SMS when long) into the modem's inbox.
        Works on Gammu's dummy driver; real modems refuse AddSMS into the inbox."""
        machine = self._sm()
        parts = encode_parts(text)
        reference = reference if reference is not None else (int(time.time() * 1000) & 0xFF)
        for part in parts:
            _set_concat_reference(part, reference)
            part.update({
                "Folder": 1, "Type": "Deliver", "State": "UnRead", "Number": sender,
                "SMSC": {"Number": "+62816124"}, "DateTime": when or datetime.now(),
            })
            try:
                machine.AddSMS(part)
            except gammu.GSMError as exc:
                raise transport_error("cannot add SMS", exc) from exc
        return len(parts)


_USSD_HEX = re.compile(r"(?:[0-9A-Fa-f]{2}){4,}")


def readable_ussd(text: str) -> str:
    """A USSD answer that reached us still hex-encoded, made readable. Gammu decodes by the
    answer's DCS and the modem's character set at the moment it arrives, but a network that
    labels UCS2 text as GSM-7 (Telkomsel's *888#), or sends 8-bit text, or answers after Gammu
    switched the character set back, leaves '0053006900730061...' (UCS2) or
    '5369736120...' (8-bit) as the text. Anything else is returned unchanged."""
    compact = text.strip()
    if not _USSD_HEX.fullmatch(compact):
        return text
    raw = bytes.fromhex(compact)
    candidates = [raw.decode("utf-16-be", errors="replace")] if len(raw) % 2 == 0 else []
    candidates.append(raw.decode("latin-1"))
    for candidate in candidates:
        if _plausible_text(candidate):
            return candidate
    return text


def _plausible_text(text: str) -> bool:
    """Printable, with letters, and mostly ASCII: what an operator's answer looks like, and
    what a digits-only answer ('12345678' read as UCS2 or 8-bit) does not."""
    if "\ufffd" in text or not all(c.isprintable() or c in "\r\n\t" for c in text):
        return False
    return any(c.isalpha() for c in text) and sum(c < "\x80" for c in text) * 2 >= len(text)


@lru_cache(maxsize=512)
def _encoded(text: str) -> tuple[dict, ...]:
    """Gammu's parts for `text`, encoded once per distinct text (many replies repeat, e.g.
    the same search's answer); callers copy a part before changing it."""
    return tuple(encode_parts(text))


def _pin_local_timezone() -> None:
    """libGammu converts each SMS time stamp with the C library's local time functions;
    with TZ unset, glibc stats /etc/localtime at every call (three quarters of a
    GetNextSMS on the dummy driver). TZ=:/etc/localtime names the very same zone file, read
    once per process. A TZ the user set is left alone."""
    if "TZ" not in os.environ and os.path.exists("/etc/localtime"):
        os.environ["TZ"] = ":/etc/localtime"
        time.tzset()


def _link(raw: list[dict]) -> list[list[dict]]:
    """Group the parts of multipart SMS, keeping the modem's order. Only the parts of one
    sender's one concatenated message go through gammu.LinkSMS together: it allocates a
    full multipart buffer per input message (2,000 SMS at once took 500 MB)."""
    groups: dict[tuple, list[dict]] = {}
    order: list[tuple] = []
    for index, message in enumerate(raw):
        udh = message.get("UDH") or {}
        if udh.get("Type") in _CONCAT_TYPES:
            key = ("multi", message.get("Number"), udh.get("ID8bit"), udh.get("ID16bit"),
                   udh.get("AllParts"))
        else:
            key = ("single", index)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(message)
    linked: list[list[dict]] = []
    for key in order:
        group = groups[key]
        if key[0] == "single":
            linked.append(group)
        elif len({(m.get("UDH") or {}).get("PartNumber") for m in group}) < key[4]:
            # a part is missing: LinkSMS would cut the rest into one message per part (two
            # answers to one SMS); keep them together, in part order, for the multipart wait
            linked.append(sorted(group, key=lambda m: (m.get("UDH") or {}).get("PartNumber", 0)))
        else:
            linked.extend(gammu.LinkSMS([[m] for m in group]))
    return linked


def _set_concat_reference(part: dict, reference: int) -> None:
    udh = part.get("UDH") or {}
    if udh.get("Type") == "ConcatenatedMessages":
        ref = reference & 0xFF
        raw = bytearray(udh["Text"])
        raw[3] = ref
        udh["Text"] = bytes(raw)
        udh["ID8bit"] = ref


def kind_of(message: dict) -> str:
    """What a message Gammu read is (see smsbot.modem.transport.base): only an SMS-DELIVER
    in GSM-7 or UCS-2 without a UDH other than concatenation is TEXT a person wrote."""
    kind = _KINDS.get(message.get("Type"), OTHER)
    if kind != TEXT:
        return kind
    udh_type = (message.get("UDH") or {}).get("Type") or "NoUDH"
    if message.get("Coding") not in _TEXT_CODINGS or udh_type not in ("NoUDH", *_CONCAT_TYPES):
        return BINARY
    return TEXT


def _hex(value) -> str:
    """A binary payload kept whole and storable in any database."""
    if isinstance(value, bytes):
        return value.hex()
    return (value or "").encode("utf-8", "surrogatepass").hex()


def _text_of(group: list[dict]) -> str:
    if len(group) > 1:
        decoded = gammu.DecodeSMS(group)
        if decoded:
            buffers = [e.get("Buffer") for e in decoded.get("Entries", []) if e.get("Buffer")]
            if buffers:
                return "".join(_as_text(b) for b in buffers)
    return "".join(_as_text(m.get("Text")) for m in group)


def _as_text(value) -> str:
    """8-bit (binary) SMS come back as bytes: keep them readable, never crash on them."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value or ""


def _describe(exc: Exception) -> str:
    info = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
    if info:
        return (f"{info.get('Where', '')} {info.get('Text', '')} "
                f"({type(exc).__name__}, code {info.get('Code', '?')})").strip()
    return str(exc)
