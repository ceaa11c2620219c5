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
@click.option("--host-name", "host_names", multiple=True, metavar="NAME",
              help="A name the site answers to (repeatable), e.g. umkm.payakumbuh.go.id; "
                   "requests for any other Host get 400. Default: localhost and --host.")
@click.option("--secure-cookies/--no-secure-cookies", "secure", default=None,
              help="Mark the session cookie Secure (sent over HTTPS only). Default: on for "
                   "requests that came over HTTPS, as --behind-proxy's X-Forwarded-Proto says.")
@click.pass_obj
def web(obj, host: str, port: int, tile_url: str | None, bot_number: str | None,
        proxy: str | None, host_names: tuple[str, ...], secure: bool | None) -> None:
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

    names = list(host_names) or allowed_hosts(host)
    if not names:
        click.echo("smsbot web: listening on every address without --host-name: any Host "
                   "header is accepted (links may point elsewhere); pass --host-name NAME.",
                   err=True)
    config = WebConfig.from_env(tile_url=tile_url, bot_number=bot_number, host_names=names,
                                https_only=secure)
    app = create_app(obj.engine, config)
    click.echo(f"smsbot web: http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=bool(proxy),
                forwarded_allow_ips=proxy or None)


def allowed_hosts(host: str) -> list[str]:
    """The default Host names: this machine's, and --host itself; none (any) when listening
    on every address, where the names the site is reached by are unknown."""
    if host in ("0.0.0.0", "::", ""):
        return []
    return sorted({"localhost", "127.0.0.1", host})
