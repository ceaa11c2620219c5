"""Security headers on every response, and compression where it is safe.

The CSP allows only this site's own scripts and styles (Leaflet is served from the package;
no inline script, style attribute or event handler in any template) plus images from the
map tile server. No page may be framed. Pages of a logged-in user, the dashboard and the
login are `no-store`: a shared computer's back button or cache shows nothing after logout.
A response may set its own Content-Security-Policy (the report page does); it is kept.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware

from smsbot.web.sessions import COOKIE

PRIVATE = ("/dasbor", "/masuk", "/keluar")


def tile_origin(tile_url: str) -> str:
    """"https://{s}.tile.example/{z}/{x}/{y}.png" -> "https://*.tile.example"; "" for none."""
    if not tile_url:
        return ""
    parts = urlsplit(tile_url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_policy(tile_url: str) -> str:
    images = " ".join(filter(None, ["'self'", "data:", tile_origin(tile_url)]))
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    def __init__(self, app, tile_url: str):
        self.app = app
        self.policy = content_policy(tile_url)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", self.policy)
                headers.setdefault("X-Frame-Options", "DENY")
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
                session = scope.get("session") or {}
                if scope["path"].startswith(PRIVATE) or session.get("phone"):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_wrapper)


class PublicGZip:
    """gzip for requests without a session cookie only: a page that holds a CSRF token next
    to text the visitor chose (a search) is not compressed, so its size cannot leak the
    token (BREACH). The big public pages (the map's list, search) are compressed."""

    def __init__(self, app, minimum_size: int = 1000):
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not _has_session_cookie(scope):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _has_session_cookie(scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"cookie" and f"{COOKIE}=".encode() in value:
            return True
    return False
