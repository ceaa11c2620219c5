"""`smsbot web`: the public catalog and the dashboard, next to `smsbot run` on one database."""

from __future__ import annotations

import click


@click.command("web")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--tile-url", default=None, metavar="URL",
              help="Map tile URL template ({z}/{x}/{y}); '' for none. Default: "
                   "$SMSBOT_TILE_URL, else OpenStreetMap.")
@click.option("--bot-number", default=None, metavar="PHONE",
              help="The bot's number shown on shop pages. Default: $SMSBOT_NUMBER.")
@click.option("--behind-proxy", "proxy", default=None, metavar="IP",
              help="Trust X-Forwarded-For/-Proto from this reverse proxy address (e.g. "
                   "127.0.0.1), so the login limits count real clients, not the proxy.")
@click.pass_obj
def web(obj, host: str, port: int, tile_url: str | None, bot_number: str | None,
        proxy: str | None) -> None:
    """Serve the website: search, product and shop pages, the map of shops, and the
    dashboard for the admin and the sellers (login with a code sent by SMS).

    Run it beside `smsbot run` on the same database (--db / $SMSBOT_DB): login codes and
    every change made on the web go out through the bot's outbox. Behind a reverse proxy
    (nginx with TLS), pass --behind-proxy with its address: the per-client login limit then
    counts the real clients.
    """
    import uvicorn

    from smsbot.web.app import create_app
    from smsbot.web.config import WebConfig

    app = create_app(obj.engine, WebConfig.from_env(tile_url=tile_url, bot_number=bot_number))
    click.echo(f"smsbot web: http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=bool(proxy),
                forwarded_allow_ips=proxy or None)
