"""SMS commands of the emulated modem (PDU mode): storage, listing, reading, sending.

A mixin of `modem.Modem`; every storage access is one `state.transaction`.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time

from . import pdu as pdus, state as st

MEMORY_BY_AT = {"SM": "sim", "ME": "me"}
STAT_FILTER = {0: {0}, 1: {1}, 2: {2}, 3: {3}, 4: {0, 1, 2, 3}}
ERR_INVALID_INDEX = "+CMS ERROR: 321"


class SMSCommands:
    # --- memories --------------------------------------------------------------------------

    def _counts(self, s, faults, mem):
        return f"{len(s[mem])},{st.capacity(s, mem, faults)}"

    def at_CPMS(self, op, args, faults):
        if op == "=?":
            return ['+CPMS: ("SM","ME"),("SM","ME"),("SM","ME")'], "OK"
        with st.transaction(self.dir) as s:
            if op == "?":
                return ["+CPMS: " + ",".join(f'"{st.AT_NAMES[m]}",{self._counts(s, faults, m)}'
                                             for m in self.mems)], "OK"
            names = [a.strip().strip('"').upper() for a in args.split(",") if a.strip()]
            if not names or any(n not in MEMORY_BY_AT for n in names):
                return [], "+CMS ERROR: 302"
            for i, n in enumerate(names[:3]):
                self.mems[i] = MEMORY_BY_AT[n]
            return ["+CPMS: " + ",".join(self._counts(s, faults, m) for m in self.mems)], "OK"

    # --- reading ---------------------------------------------------------------------------

    def _read_fault(self, faults):
        code = faults.get("read_error")
        return f"+CME ERROR: {int(code)}" if code else None

    def at_CMGL(self, op, args, faults):
        if op == "=?":
            return ["+CMGL: (0-4)"], "OK"
        if self._read_fault(faults):
            return [], self._read_fault(faults)
        wanted = STAT_FILTER.get(int(args or 0))
        if wanted is None:
            return [], "+CMS ERROR: 302"
        mem, lines = self.mems[0], []
        with st.transaction(self.dir) as s:
            for index in sorted(s[mem], key=int):
                msg = s[mem][index]
                if msg["stat"] in wanted:
                    lines += [f"+CMGL: {index},{msg['stat']},,{pdus.tpdu_length(msg['pdu'])}", msg["pdu"]]
                    if msg["stat"] == 0:
                        msg["stat"] = 1
        return lines, "OK"

    def at_CMGR(self, op, args, faults):
        if self._read_fault(faults):
            return [], self._read_fault(faults)
        with st.transaction(self.dir) as s:
            msg = s[self.mems[0]].get(str(int(args)))
            if msg is None:
                return [], ERR_INVALID_INDEX
            lines = [f"+CMGR: {msg['stat']},,{pdus.tpdu_length(msg['pdu'])}", msg["pdu"]]
            if msg["stat"] == 0:
                msg["stat"] = 1
        return lines, "OK"

    def at_CMGD(self, op, args, faults):
        base, cap = self._range()
        if op == "=?":
            return [f"+CMGD: ({base}-{base + cap - 1}),(0-4)"], "OK"
        parts = [int(a) for a in args.split(",") if a.strip()]
        index, flag = parts[0], (parts[1] if len(parts) > 1 else 0)
        with st.transaction(self.dir) as s:
            store = s[self.mems[0]]
            if flag == 0:
                if store.pop(str(index), None) is None:
                    return [], ERR_INVALID_INDEX
            else:   # 1 read, 2 read+sent, 3 read+sent+unsent, 4 all
                keep = {1: {0, 2, 3}, 2: {0, 2}, 3: {0}, 4: set()}[flag]
                for key in [k for k, m in store.items() if m["stat"] not in keep]:
                    del store[key]
            st.flush_pending(s, faults)
            self._arrivals(s)
        return [], "OK"

    def _range(self):
        s = st.load(self.dir)
        return int(s["index_base"]), int(s[f"{self.mems[0]}_capacity"])

    # --- sending and writing ---------------------------------------------------------------

    def at_CMGS(self, op, args, faults):
        return self._prompt(("CMGS", int(args)))

    def at_CMGW(self, op, args, faults):
        parts = [a.strip() for a in args.split(",")]
        stat = int(parts[1]) if len(parts) > 1 and parts[1] else 2
        return self._prompt(("CMGW", int(parts[0]), stat))

    def _prompt(self, edit):
        if edit[1] <= 0 or edit[1] > 176:
            return [], "+CMS ERROR: 304"
        self.edit = edit
        self.out(b"\r\n> ")
        self.log(f"> prompt for {edit[0]}")
        return [], None

    def _submit(self, edit, body, faults):
        body = re.sub(r"\s", "", body)
        try:
            if pdus.tpdu_length(body) != edit[1]:
                return [], "+CMS ERROR: 304"
            msg = pdus.decode(body)
        except Exception:       # whatever Gammu's decoder rejects is an invalid PDU
            return [], "+CMS ERROR: 304"
        if edit[0] == "CMGW":
            with st.transaction(self.dir) as s:
                where = st.store(s, body, edit[2], faults, memories=[self.mems[1]])
                if where is None:
                    return [], "+CMS ERROR: 322"
                self.known.add((where[0], str(where[1])))
            return [f"+CMGW: {where[1]}"], "OK"
        return self._send(body, msg, faults)

    def at_CMSS(self, op, args, faults):
        parts = [a.strip() for a in args.split(",")]
        msg = st.load(self.dir)[self.mems[1]].get(str(int(parts[0])))
        if msg is None:
            return [], ERR_INVALID_INDEX
        decoded = pdus.decode(msg["pdu"])
        if decoded["Type"] != "Submit":
            return [], "+CMS ERROR: 302"
        if len(parts) > 1 and parts[1]:
            decoded = dict(decoded, Number=parts[1].strip('"'))
        return self._send(msg["pdu"], decoded, faults)

    def _send(self, body, msg, faults):
        number = msg["Number"]
        with st.transaction(self.dir) as s:
            s["send_attempts"] += 1
            code = None
            queue = list(faults.get("fail_next_sends") or [])
            if queue:
                code = queue.pop(0)
                st.update_faults(self.dir, {"fail_next_sends": queue or None})
            code = code or (faults.get("send_errors") or {}).get(str(s["send_attempts"]))
            code = code or (faults.get("number_errors") or {}).get(number)
            if code is None and (int(faults.get("creg_lost") or 0) > 0 or not s.get("registered", True)):
                code = 331
            if code is not None:
                self.log(f"! send {s['send_attempts']} to {number} refused: {code}")
                return [], f"+CMS ERROR: {int(code)}"
            mr = s["next_mr"]
            s["next_mr"] = (mr + 1) % 256
            now = dt.datetime.now(dt.timezone.utc)
            after = faults.get("status_report_after")
            if after is not None and pdus.wants_status_report(body):
                report = pdus.status_report(number, mr, now, now + dt.timedelta(seconds=float(after)),
                                            int(faults.get("status_report_status", 0)))
                s["scheduled"].append({"due": time.time() + float(after), "pdu": report})
        udh = msg["UDH"]["Text"].hex().upper() if msg["UDH"]["Type"] != "NoUDH" else None
        line = {"to": number, "text": msg["Text"], "udh": udh, "mr": mr, "pdu": body,
                "at": now.isoformat(timespec="seconds")}
        with open(self.dir / st.SENT_FILE, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        lost = faults.get("answer_lost")
        if lost:
            st.update_faults(self.dir, {"answer_lost": None})
            self.log(f"! answer lost ({lost}) after accepting mr {mr}")
            if lost == "exit":
                from .modem import Unplugged
                raise Unplugged(1)
            self.hung = True
            return [], None
        return [f"+CMGS: {mr}"], "OK"

    # --- arrivals --------------------------------------------------------------------------

    def _arrivals(self, s):
        """Note messages that appeared since last look; +CMTI for them when CNMI asks."""
        current = {(mem, k) for mem in st.MEMORIES for k in s[mem]}
        new = sorted(current - self.known, key=lambda x: (x[0] != "sim", int(x[1])))
        self.known = current
        self._pending_cmti = getattr(self, "_pending_cmti", []) + [
            f'+CMTI: "{st.AT_NAMES[mem]}",{k}' for mem, k in new if s[mem][k]["stat"] == 0]

    def _cmti_lines(self):
        lines, self._pending_cmti = getattr(self, "_pending_cmti", []), []
        return lines if self.cnmi[1] in (1, 2, 3) else []

    def tick(self):
        """Between commands: let due status reports and waiting messages in; announce them."""
        if self.hung or self.edit is not None:
            return
        mtime = (self.dir / st.STATE_FILE).stat().st_mtime_ns if (self.dir / st.STATE_FILE).exists() else 0
        due = getattr(self, "_next_due", None)
        if mtime == getattr(self, "_mtime", None) and (due is None or due > time.time()):
            return
        faults = st.load_faults(self.dir)
        with st.transaction(self.dir) as s:
            st.flush_pending(s, faults)
            self._arrivals(s)
            self._next_due = min((x["due"] for x in s["scheduled"]), default=None)
        self._mtime = (self.dir / st.STATE_FILE).stat().st_mtime_ns if (self.dir / st.STATE_FILE).exists() else 0
        self.unsolicited(self._cmti_lines())
