"""`smsbot demo`: the bot on a dummy modem with Payakumbuh demo data, and a phone simulator.

The website (catalog, map, dashboard) runs beside it on 127.0.0.1 (`--web-port`, 0 = off).
In a terminal you type SMS as a buyer (switch sender with `/dari NOMOR`, or `/penjual`,
`/admin`, `/pembeli`); the daemon answers through the real libGammu dummy driver, or with
`--driver at` through Gammu's AT driver talking to the modem emulator (smsbot.modem.emulator)
in the demo folder, whose sent.jsonl shows every SMS the "modem" sent. Without a terminal it
plays a short scripted conversation and exits.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from smsbot.catalog.models import Shop
from smsbot.clock import utcnow
from smsbot.contacts.phones import local_form, normalize
from smsbot.messages.models import OutboxMessage
from smsbot.modem.daemon import Daemon
from smsbot.modem.dummy import write_config
from smsbot.modem.emulator import (
    config as emulator_config,
    inbox as emulator_inbox,
    state as emulator_state,
)
from smsbot.modem.transport.gammu_modem import GammuTransport
from smsbot.sim.seed import DEMO_ADMIN, DEMO_BUYER, seed_demo
from smsbot.sms import grammar as grammar_module

SCRIPT = [
    (DEMO_BUYER, "BANTUAN"),
    (DEMO_BUYER, "Cari#galamai"),
    (DEMO_BUYER, "CARI pizza"),
    (DEMO_BUYER, "lokasi pasar ibuh rendang"),
    (DEMO_BUYER, "cari rendang telur"),
    (DEMO_BUYER, "PESAN 1 2"),
    (DEMO_BUYER, "YA"),
    (DEMO_BUYER, "halo, ini siapa?"),
    ("TELKOMSEL", "Promo paket data 10GB"),
]

HELP = """Perintah simulator:
  /dari NOMOR   kirim sebagai nomor lain      /pembeli  /penjual  /admin
  /bantuan      tampilkan ini                 /keluar   selesai
Apa pun selain itu dikirim sebagai SMS ke bot."""


class DummyNetwork:
    """SMS into the dummy modem folder, through a second libGammu connection to it."""

    def __init__(self, folder: Path):
        self.config = write_config(folder)
        phone_config = write_config(folder, name="phone.gammurc", log="phone.log")
        self.phone = GammuTransport(phone_config, name="phone").open()
        self.description = f"Modem dummy: {self.config} (log: {folder.resolve() / 'gammu.log'})"

    def deliver(self, sender: str, text: str) -> None:
        self.phone.inject(sender, text)

    def waiting(self) -> bool:
        return bool(self.phone.receive())

    def close(self) -> None:
        self.phone.close()


class EmulatorNetwork:
    """SMS into the AT modem emulator's storage in `folder` (it raises +CMTI to the bot)."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        self.config = emulator_config.init_dir(self.folder)
        self.description = (f"Modem emulator (AT): {self.config} "
                            f"(terkirim: {self.folder / emulator_state.SENT_FILE})")

    def deliver(self, sender: str, text: str) -> None:
        emulator_inbox.deliver_text(self.folder, sender, text)

    def waiting(self) -> bool:
        state = emulator_state.load(self.folder)
        return bool(state["sim"] or state["me"] or state["pending"])

    def close(self) -> None:
        pass


NETWORKS = {"dummy": DummyNetwork, "at": EmulatorNetwork}


class DemoPhone:
    """The simulated network side: puts SMS into the modem and shows the replies."""

    def __init__(self, engine: Engine, folder: Path, out=sys.stdout, driver: str = "dummy"):
        self.engine = engine
        self.out = out
        self.network = NETWORKS[driver](folder)
        self.config = self.network.config
        self.replies: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self.bot = Daemon(engine, GammuTransport(self.config, name="demo").open(),
                          grammar=grammar_module.load(), poll_interval=0.2,
                          on_sent=self._on_sent)

    def _on_sent(self, row) -> None:
        with self._lock:
            self.replies.append((row.to, row.text))

    def send(self, sender: str, text: str, wait: float = 30.0) -> list[tuple[str, str]]:
        """Text the bot and wait until it has answered everything (or `wait` passes: the AT
        driver takes 0.7 s per SMS part sent)."""
        self.network.deliver(sender, text)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if not self.network.waiting() and self.bot.idle() and not self._sending():
                break
        time.sleep(0.05)
        with self._lock:
            replies, self.replies = self.replies, []
        return replies

    def _sending(self) -> bool:
        """A reply is in the modem's hands: the daemon's idle() does not count it, and on the
        AT driver a send takes long enough for this thread to see that moment."""
        with Session(self.engine) as session:
            return session.exec(select(OutboxMessage.id)
                                .where(OutboxMessage.status == "sending")).first() is not None

    def show(self, sender: str, text: str, replies) -> None:
        print(f"{local_form(normalize(sender) or sender)} > {text}", file=self.out)
        for to, reply in replies:
            print(f"{local_form(to)} < {reply}", file=self.out)
        if not replies:
            print("   (tidak ada balasan)", file=self.out)
        self.out.flush()


def start_website(engine: Engine, folder: Path, port: int, out=sys.stdout):
    """The website on 127.0.0.1:`port` in a thread, or None (port 0, or the port is busy:
    the SMS demo goes on without it)."""
    if not port:
        return None
    from smsbot.web.app import create_app
    from smsbot.web.background import BackgroundServer
    from smsbot.web.config import WebConfig

    app = create_app(engine, WebConfig.from_env())
    try:
        server = BackgroundServer(app, "127.0.0.1", port).start()
    except OSError as error:
        print(f"Website tidak jalan: port {port} tidak bisa dipakai ({error.strerror or error}). "
              f"Pilih port lain dengan --web-port, 0 = tanpa website.", file=out)
        return None
    print(f"Website: {server.url}  (peta: {server.url}peta)", file=out)
    return server


def run_demo(engine: Engine, folder: Path, interactive: bool, web_port: int = 0,
             driver: str = "dummy") -> int:
    reports = seed_demo(engine, utcnow())
    phone = DemoPhone(engine, folder, driver=driver)
    thread = threading.Thread(target=phone.bot.run, name="smsbot-daemon", daemon=True)
    thread.start()
    print(f"smsbot demo: {reports['shops'].created + reports['shops'].updated} toko, "
          f"{reports['products'].created + reports['products'].updated} produk. "
          f"{phone.network.description}")
    website = start_website(engine, folder, web_port)
    try:
        if interactive:
            _interactive(phone)
        else:
            for sender, text in SCRIPT:
                phone.show(sender, text, phone.send(sender, text))
    finally:
        phone.bot.stop_event.set()
        thread.join(timeout=10)
        phone.network.close()
        if website is not None:
            website.stop()
    return 0


def _interactive(phone: DemoPhone) -> None:
    with Session(phone.engine) as session:
        seller = session.exec(select(Shop).order_by(Shop.id)).first()
    senders = {"/pembeli": DEMO_BUYER, "/admin": DEMO_ADMIN,
               "/penjual": local_form(seller.phone) if seller else DEMO_BUYER}
    sender = DEMO_BUYER
    print(HELP)
    while True:
        try:
            line = input(f"[{sender}] SMS> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not line:
            continue
        if line in ("/keluar", "/quit", "/exit"):
            return
        if line in ("/bantuan", "/help"):
            print(HELP)
        elif line in senders:
            sender = senders[line]
            print(f"Sekarang mengirim sebagai {sender}")
        elif line.startswith("/dari"):
            parts = line.split(maxsplit=1)
            if len(parts) == 2:
                sender = parts[1].strip()
                print(f"Sekarang mengirim sebagai {sender}")
            else:
                print("Contoh: /dari 081398765432")
        else:
            phone.show(sender, line, phone.send(sender, line))
