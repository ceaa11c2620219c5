"""`smsbot demo`: the bot on a dummy modem with Payakumbuh demo data, and a phone simulator.

The website (catalog, map, dashboard) runs beside it on 127.0.0.1 (`--web-port`, 0 = off).
In a terminal you type SMS as a buyer (switch sender with `/dari NOMOR`, or `/penjual`,
`/admin`, `/pembeli`); the daemon answers through the real libGammu dummy driver. Without a
terminal it plays a short scripted conversation and exits.
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
from smsbot.modem.daemon import Daemon
from smsbot.modem.dummy import write_config
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


class DemoPhone:
    """The simulated network side: puts SMS into the dummy modem and shows the replies."""

    def __init__(self, engine: Engine, folder: Path, out=sys.stdout):
        self.engine = engine
        self.out = out
        self.config = write_config(folder)
        self.replies: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self.bot = Daemon(engine, GammuTransport(self.config, name="demo").open(),
                          grammar=grammar_module.load(), poll_interval=0.2,
                          on_sent=self._on_sent)
        phone_config = write_config(folder, name="phone.gammurc", log="phone.log")
        self.network = GammuTransport(phone_config, name="phone").open()

    def _on_sent(self, row) -> None:
        with self._lock:
            self.replies.append((row.to, row.text))

    def send(self, sender: str, text: str, wait: float = 10.0) -> list[tuple[str, str]]:
        """Text the bot and wait until it has answered everything (or `wait` passes)."""
        self.network.inject(sender, text)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if not self.network.receive() and self.bot.idle():
                break
        time.sleep(0.05)
        with self._lock:
            replies, self.replies = self.replies, []
        return replies

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


def run_demo(engine: Engine, folder: Path, interactive: bool, web_port: int = 0) -> int:
    reports = seed_demo(engine, utcnow())
    phone = DemoPhone(engine, folder)
    thread = threading.Thread(target=phone.bot.run, name="smsbot-daemon", daemon=True)
    thread.start()
    print(f"smsbot demo: {reports['shops'].created + reports['shops'].updated} toko, "
          f"{reports['products'].created + reports['products'].updated} produk. "
          f"Modem dummy: {phone.config} (log: {folder.resolve() / 'gammu.log'})")
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
