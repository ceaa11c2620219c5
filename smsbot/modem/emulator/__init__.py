"""A GSM modem emulator speaking AT, to test libGammu's real AT driver without hardware.

Run by Gammu itself (`connection = proxyat`, `device = <python> -m smsbot.modem.emulator DIR`):
Gammu starts the process at every Init and talks AT over its stdin/stdout; with `--pty` it serves
a pseudo-terminal instead (`connection = at`, device = the printed path). Everything lives in DIR:

    gammurc        ready Gammu config (written by `smsbot modem emulate DIR --init`)
    state.json     SIM ("SM") and phone ("ME") storage, pending and scheduled messages, counters
    faults.json    faults to inject, re-read on every command (format below)
    sent.jsonl     one line per SMS-SUBMIT part accepted: {"to","text","udh","mr","pdu","at"}
    emulator.log   every command received and answer given
    gammu.log      Gammu's own log (logformat = textall)

Incoming messages are injected with `inbox.deliver_text` / `inbox.deliver_pdus`.

faults.json (all keys optional; "consumed" keys are removed or decremented when they fire, so a
restarted emulator does not fire them again):

    {
      "fail_next_sends": [38, 42],     # consumed: the next send attempts get +CMS ERROR: n
      "send_errors": {"3": 38},        # the Nth send attempt of this DIR (state send_attempts)
      "number_errors": {"+62812": 21}, # every send to this number
      "read_error": 500,               # +CME ERROR: n on AT+CMGL and AT+CMGR
      "sim_full": true,                # the SIM holds no more than it has now
      "hang": "AT+CMGS",               # consumed: on a command starting so ("*" any), stop
                                       #   answering until the process ends
      "unplug": "AT+CMGL",             # consumed: on such a command the process exits at once
      "answer_lost": "hang" | "exit",  # consumed: the next send is accepted (sent.jsonl) but
                                       #   +CMGS never comes: stop answering, or exit
      "noise": ["RING", "^RSSI:18"],   # lines put inside every answer
      "unsolicited": ["+CMTI: \\"SM\\",3"], # consumed: lines put inside the next answer
      "delay": 0.5,                    # seconds before every answer
      "creg_lost": 3,                  # decremented: the next N AT+CREG? say not registered
      "creg_lost_stat": 2,             #   with this <stat> (0 or 2); sends get CMS 331 meanwhile
      "status_report_after": 2.0,      # store an SMS-STATUS-REPORT this many seconds after each
      "status_report_status": 0,       #   send that asked for one (TP-SRR); 0 = delivered
      "ussd_mode": "gsm" | "ucs2"      # USSD answer: DCS 15 in the current charset, or UCS2 hex
    }
"""
