"""`smsbot demo` serves the website beside the bot: the URL it prints answers, and a busy
port costs only the website, never the SMS demo."""

import io
import socket
import urllib.request

from smsbot.sim.demo import start_website


def test_demo_website_serves_the_catalog_and_stops(reader_engine, tmp_path):
    out = io.StringIO()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_website(reader_engine, tmp_path, port, out=out)
    try:
        assert out.getvalue().startswith(f"Website: http://127.0.0.1:{port}/")
        with urllib.request.urlopen(server.url + "cari?q=galamai", timeout=10) as response:
            assert response.status == 200 and "/produk/GL0" in response.read().decode()
    finally:
        server.stop()
    assert not server.thread.is_alive()


def test_a_busy_port_is_reported_and_the_demo_goes_on(reader_engine, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = io.StringIO()
        assert start_website(reader_engine, tmp_path, port, out=out) is None
    assert f"Website tidak jalan: port {port} tidak bisa dipakai" in out.getvalue()
    assert "--web-port" in out.getvalue()


def test_web_port_0_means_no_website(reader_engine, tmp_path):
    out = io.StringIO()
    assert start_website(reader_engine, tmp_path, 0, out=out) is None and out.getvalue() == ""
