"""The AT command engine: bytes in, bytes out, state in the directory.

`Modem.feed(data)` takes whatever the client wrote; answers go through the `write` callable
given to the constructor. Echo is on after reset (libGammu sends ATE1 and matches replies on the
echoed command). Every command re-reads faults.json, and every storage change goes through
`state.transaction`, so injection from another process and a restart of this one are both safe.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

from . import pdu as pdus, state as st
from .profiles import Profile
from .sms import SMSCommands

CTRL_Z, ESC = 0x1A, 0x1B
CHARSETS = ("IRA", "GSM", "UCS2", "HEX")


class Unplugged(SystemExit):
    """The emulated modem vanished from the bus: the process must end now."""


class Modem(SMSCommands):
    """One emulated modem session (one process, or one pty)."""

    def __init__(self, directory, profile: Profile, write, log=None):
        self.dir = Path(directory)
        self.profile = profile
        self._write = write
        self._log = log
        self.hung = False
        self.buf = bytearray()
        self.later: list[str] = []   # unsolicited lines due right after the current answer
        self.edit = None           # ("CMGS", length) | ("CMGW", length, stat) while at the "> " prompt
        self.reset()
        self.known: set[tuple[str, str]] = set()
        with st.transaction(self.dir) as s:
            if not s["sim"] and not s["me"]:
                s["index_base"] = profile.index_base
            self._arrivals(s)

    def reset(self):
        self.echo = True
        self.charset = "IRA"
        self.cnmi = [0, 0, 0, 0, 0]
        self.creg_mode = 0
        self.mems = ["sim", "sim", "sim"]

    # --- input -----------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        for byte in data:
            if self.hung:
                return
            if self.edit is not None:
                self._feed_edit(byte)
            elif byte == ESC:
                self.buf.clear()
            elif byte == 0x0D:
                line = self.buf.decode("latin-1").strip()
                self.buf.clear()
                if line:
                    self._command(line)
            elif byte != 0x0A:
                self.buf.append(byte)

    def _feed_edit(self, byte: int) -> None:
        if byte == ESC:
            self.log("< ESC (cancelled)")
            self.edit, self.buf = None, bytearray()
            self.out(b"\r\nOK\r\n")
        elif byte == CTRL_Z:
            body = self.buf.decode("latin-1").strip()
            edit, self.edit, self.buf = self.edit, None, bytearray()
            if self.echo:
                self.out(body.encode() + b"\x1a")
            self.log(f"< {body}^Z")
            faults = st.load_faults(self.dir)
            if faults.get("hang") == "PDU":     # stuck before the network took it
                st.update_faults(self.dir, {"hang": None})
                self.log("! fault hang on the PDU")
                self.hung = True
                return
            lines, final = self._submit(edit, body, faults)
            self._answer(lines, final, faults)
        else:
            self.buf.append(byte)

    # --- output ----------------------------------------------------------------------------

    def out(self, data: bytes) -> None:
        self._write(data)

    def log(self, text: str) -> None:
        if self._log:
            self._log(text)

    def _answer(self, lines, final, faults, unsolicited=()):
        if final is None:
            return
        delay = faults.get("delay") or 0
        if delay:
            time.sleep(float(delay))
        noise = list(faults.get("noise") or []) + list(unsolicited)
        if faults.get("unsolicited"):
            noise += list(faults["unsolicited"])
            st.update_faults(self.dir, {"unsolicited": None})
        body = lines[:1] + noise + lines[1:] if lines else noise
        text = "".join(f"\r\n{line}\r\n" for line in body) + f"\r\n{final}\r\n"
        self.log("> " + " | ".join(body + [final]))
        self.out(text.encode("latin-1", "replace"))

    def unsolicited(self, lines) -> None:
        if lines and not self.hung and self.edit is None:
            self.log("> (unsolicited) " + " | ".join(lines))
            self.out("".join(f"\r\n{line}\r\n" for line in lines).encode())

    # --- dispatch --------------------------------------------------------------------------

    def _command(self, line: str) -> None:
        if self.echo:
            self.out(line.encode("latin-1") + b"\r")
        self.log(f"< {line}")
        faults = st.load_faults(self.dir)
        upper = line.upper()
        for key in ("unplug", "hang"):
            trigger = faults.get(key)
            if trigger and (trigger is True or trigger == "*" or upper.startswith(str(trigger).upper())):
                st.update_faults(self.dir, {key: None})
                self.log(f"! fault {key} on {line}")
                if key == "unplug":
                    raise Unplugged(1)
                self.hung = True
                return
        if not upper.startswith("AT"):
            return self._answer([], "ERROR", faults)
        try:
            lines, final = self._execute(line[2:], faults)
        except (ValueError, IndexError, KeyError):
            lines, final = [], "ERROR"
        later, self.later = self._cmti_lines() + self.later, []
        self._answer(lines, final, faults)
        self.unsolicited(later)

    def _execute(self, body: str, faults: dict):
        upper = body.upper()
        if upper in ("", "Z", "&F", "E0", "E1", "V1", "Q0", "&C1", "&D2"):
            if upper in ("Z", "&F"):
                self.reset()
            elif upper in ("E0", "E1"):
                self.echo = upper == "E1"
            return [], "OK"
        if upper in ("I", "I3", "I5"):
            return [self.profile.manufacturer, self.profile.model, self.profile.revision], "OK"
        m = re.match(r"([+^$&][A-Z0-9]+|[+^][A-Z]+)(=\?|\?|=)?(.*)$", body, re.I)
        if not m:
            return [], "ERROR"
        name, op, args = m.group(1).upper(), m.group(2) or "", m.group(3)
        handler = getattr(self, "at_" + name[1:].replace("$", "_"), None) if name[0] == "+" else None
        if handler is not None:
            return handler(op, args, faults)
        if any(name.startswith(p) for p in self.profile.extra_ok):
            return [], "OK"
        return [], "ERROR"

    # --- identity and settings -------------------------------------------------------------

    def at_CGMI(self, op, args, faults):
        return [self.profile.manufacturer], "OK"

    def at_CGMM(self, op, args, faults):
        return [self.profile.model], "OK"

    def at_CGMR(self, op, args, faults):
        return [self.profile.revision], "OK"

    def at_CGSN(self, op, args, faults):
        return [self.profile.imei], "OK"

    def at_CIMI(self, op, args, faults):
        return [self.profile.imsi], "OK"

    def at_CMEE(self, op, args, faults):
        return ([f"+CMEE: 1"] if op == "?" else []), "OK"

    def at_CPIN(self, op, args, faults):
        return (["+CPIN: READY"] if op == "?" else []), "OK"

    def at_CFUN(self, op, args, faults):
        return (["+CFUN: 1"] if op == "?" else ["+CFUN: (0,1,4),(0,1)"] if op == "=?" else []), "OK"

    def at_CHUP(self, op, args, faults):
        return [], "OK"

    def at_CMMS(self, op, args, faults):
        return [], "OK"

    def at_CSCS(self, op, args, faults):
        if op == "?":
            return [f'+CSCS: "{self.charset}"'], "OK"
        if op == "=?":
            return ["+CSCS: (" + ",".join(f'"{c}"' for c in CHARSETS) + ")"], "OK"
        wanted = args.strip().strip('"').upper()
        if wanted not in CHARSETS:
            return [], "+CME ERROR: 4"
        self.charset = wanted
        return [], "OK"

    def at_CSQ(self, op, args, faults):
        return (["+CSQ: (0-31,99),(0-7,99)"] if op == "=?" else ["+CSQ: 20,99"]), "OK"

    def at_CREG(self, op, args, faults):
        if op == "=":
            self.creg_mode = int(args or 0)
            return [], "OK"
        if op == "=?":
            return ["+CREG: (0-2)"], "OK"
        stat = 1
        lost = int(faults.get("creg_lost") or 0)
        if lost > 0:
            stat = int(faults.get("creg_lost_stat", 2))
            st.update_faults(self.dir, {"creg_lost": lost - 1})
        elif not st.load(self.dir).get("registered", True):
            stat = 0
        extra = ',"0A1B","4E2F"' if self.creg_mode == 2 and stat in (1, 5) else ""
        return [f"+CREG: {self.creg_mode},{stat}{extra}"], "OK"

    def at_CGREG(self, op, args, faults):
        if op == "=":
            return [], "OK"
        if op == "=?":
            return ["+CGREG: (0-2)"], "OK"
        return ["+CGREG: 0,1"], "OK"

    def at_CGATT(self, op, args, faults):
        return (["+CGATT: 1"] if op == "?" else []), "OK"

    def at_COPS(self, op, args, faults):
        if op == "?":
            return ['+COPS: 0,0,"TELKOMSEL"'], "OK"
        if op == "=?":
            return ['+COPS: (2,"TELKOMSEL","TSEL","51010"),,(0-4),(0-2)'], "OK"
        return [], "OK"

    def at_CSCA(self, op, args, faults):
        return ([f'+CSCA: "{pdus.DEFAULT_SMSC}",145'] if op == "?" else []), "OK"

    def at_CSMS(self, op, args, faults):
        return (["+CSMS: 0,1,1,1"] if op == "?" else ["+CSMS: 1,1,1"] if op == "=" else ["+CSMS: (0,1)"]), "OK"

    def at_CNMI(self, op, args, faults):
        if op == "?":
            return ["+CNMI: " + ",".join(map(str, self.cnmi))], "OK"
        if op == "=?":
            return ["+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)"], "OK"
        values = [int(v) if v.strip() else 0 for v in args.split(",")]
        self.cnmi = (values + self.cnmi[len(values):])[:5]
        return [], "OK"

    def at_CMGF(self, op, args, faults):
        if op == "?":
            return ["+CMGF: 0"], "OK"
        if op == "=?":
            return ["+CMGF: (0)"], "OK"
        return [], ("OK" if args.strip() == "0" else "ERROR")

    def at_CUSD(self, op, args, faults):
        from .ussd import answer  # keeps the common path lean
        return answer(self, op, args, faults)
