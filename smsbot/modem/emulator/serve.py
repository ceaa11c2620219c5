"""Run one emulated modem on stdin/stdout (Gammu's `connection = proxyat`) or on a pty."""
from __future__ import annotations

import datetime as dt
import os
import select
import signal
import sys
import tty
from pathlib import Path

from . import profiles, state as st
from .modem import Modem, Unplugged

TICK = 0.2   # seconds between looks at the storage (status reports, injected messages)


def _logger(directory: Path):
    fh = open(directory / st.LOG_FILE, "a", encoding="utf-8", buffering=1)
    pid = os.getpid()

    def log(text: str) -> None:
        stamp = dt.datetime.now().strftime("%H:%M:%S.%f")[:-3]
        fh.write(f"{stamp} [{pid}] {text}\n")
    return log


def _write_all(fd: int):
    def write(data: bytes) -> None:
        while data:
            data = data[os.write(fd, data):]
    return write


def serve(directory, model: str | None = None, pty_mode: bool = False) -> int:
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    saved = st.load(directory)
    profile = profiles.get(model or saved.get("model"))
    log = _logger(directory)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if pty_mode:
        import pty
        master, slave = pty.openpty()
        tty.setraw(slave)
        path = os.ttyname(slave)
        (directory / "pty").write_text(path + "\n")
        print(path, flush=True)
        in_fd = out_fd = master
    else:
        in_fd, out_fd = sys.stdin.fileno(), sys.stdout.fileno()
    log(f"start profile={profile.name} {'pty ' + path if pty_mode else 'stdio'}")
    modem = Modem(directory, profile, _write_all(out_fd), log)
    try:
        while True:
            ready, _, _ = select.select([in_fd], [], [], TICK)
            if ready:
                try:
                    data = os.read(in_fd, 4096)
                except OSError:        # pty without a reader yet
                    data = b"" if not pty_mode else None
                if data == b"":
                    log("end of input")
                    return 0
                if data:
                    modem.feed(data)
            modem.tick()
    except Unplugged:
        log("unplugged: exiting mid-command")
        os._exit(1)
    except KeyboardInterrupt:
        return 0
