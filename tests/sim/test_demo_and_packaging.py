"""The README's main job (`smsbot demo`) and the wheel."""

import json
import socket
import subprocess
import sys
import zipfile


def test_demo_without_a_terminal_plays_a_conversation_and_exits_0(tmp_path, cli_env):
    cli_env.pop("SMSBOT_DB")
    with socket.socket() as probe:  # a free port for the website (the default 8000 may be taken)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = subprocess.run(["smsbot", "demo", "--dir", str(tmp_path / "demo"), "--web-port",
                           str(port)], env=cli_env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"Website: http://127.0.0.1:{port}/  (peta: http://127.0.0.1:{port}/peta)" in out
    assert "28 toko, 84 produk" in out
    assert "081300000001 > cari rendang telur" in out
    assert "081300000001 < 1)RT03 Randang Talua 250g 18rb" in out
    assert "TELKOMSEL > Promo paket data 10GB\n   (tidak ada balasan)" in out
    assert (tmp_path / "demo" / "smsbot.db").is_file()
    log = (tmp_path / "demo" / "gammu.log").read_text()
    assert "081300000001 > PESAN 1 2\n081300000001 < Faktur " in out
    assert "Pesanan baru " in out  # the seller's SMS after YA
    assert log.count('Recipient number "+6281300000001"') == 8


def test_demo_on_the_at_driver_plays_the_same_conversation_through_the_emulator(tmp_path, cli_env):
    """`--driver at`: Gammu's AT driver talks to the modem emulator in the demo folder, and
    every SMS the bot sent is in the emulator's sent.jsonl (one line per part)."""
    cli_env.pop("SMSBOT_DB")
    folder = tmp_path / "demo"
    done = subprocess.run(["smsbot", "demo", "--dir", str(folder), "--driver", "at",
                           "--web-port", "0"], env=cli_env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"Modem emulator (AT): {folder / 'gammurc'}" in out
    assert "081300000001 > cari rendang telur" in out
    assert "081300000001 < 1)RT03 Randang Talua 250g 18rb" in out
    assert "081300000001 > PESAN 1 2\n081300000001 < Faktur " in out
    assert "Pesanan baru " in out  # the seller's SMS after YA
    assert "TELKOMSEL > Promo paket data 10GB\n   (tidak ada balasan)" in out
    sent = [json.loads(line) for line in (folder / "sent.jsonl").read_text().splitlines()]
    to_buyer = [line for line in sent if line["to"] == "+6281300000001"]
    whole = [line for line in to_buyer if not line["udh"] or line["udh"][-2:] == "01"]
    assert len(whole) == 8  # one SMS per buyer line of the script, as on the dummy
    assert any(line["text"].startswith("1)RT03 Randang Talua 250g 18rb") for line in whole)
    assert "TELKOMSEL" not in {line["to"] for line in sent}


def test_wheel_builds_silently_and_carries_grammar_migrations_and_web_files(tmp_path):
    """A fresh install must not greet a newcomer with a wall of build warnings, and the wheel
    must carry the data folders that live at the top of the repository."""
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w",
                           str(tmp_path), "."], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    output = (done.stdout + done.stderr).lower()
    assert "warning" not in output and "deprecat" not in output, output
    wheel = next(tmp_path.glob("smsbot-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ["smsbot/grammar_data/common.toml", "smsbot/grammar_data/keywords/cari.toml",
                     "smsbot/grammar_data/examples/router.txt", "smsbot/dbdata/seed/shops.csv",
                     "smsbot/dbdata/seed/products.csv", "smsbot/dbdata/seed/kelurahan.csv",
                     "smsbot/cli.py", "smsbot/modem/transport/gammu_modem.py",
                     "smsbot/dbdata/migrations/env.py", "smsbot/dbdata/migrations/script.py.mako",
                     "smsbot/dbdata/migrations/versions/0001_initial_schema.py",
                     "smsbot/web/templates/base.html", "smsbot/web/templates/public/product.html",
                     "smsbot/web/static/map.js", "smsbot/web/static/leaflet/leaflet.js",
                     "smsbot/web/static/leaflet/leaflet.css", "smsbot/web/static/leaflet/LICENSE",
                     "smsbot/web/static/leaflet/images/marker-icon.png"]:
        assert expected in names, expected
    assert not any("__pycache__" in name for name in names)
