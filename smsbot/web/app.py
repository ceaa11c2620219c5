"""The ASGI application: `create_app(engine, config)`.

Routes live in their own modules (public pages, login, dashboard), each exporting `routes`.
Static files (CSS, Leaflet, the icon) are served from the package: the site works without a
CDN, and its CSP allows no other origin but the map tiles'. Middleware, outermost first:
security headers (smsbot/web/headers.py), allowed Host names, gzip for visitors without a
session, server-side sessions (smsbot/web/sessions.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from smsbot.web import dashboard, login, public
from smsbot.web.config import WebConfig
from smsbot.web.headers import PublicGZip, SecurityHeaders
from smsbot.web.render import page
from smsbot.web.sessions import ServerSessionMiddleware

STATIC = Path(__file__).parent / "static"
TITLES = {400: "Permintaan tidak valid", 403: "Tidak diizinkan", 404: "Tidak ditemukan",
          405: "Metode tidak diizinkan", 500: "Terjadi kesalahan"}
DETAILS = {405: "Halaman ini hanya menerima formulir. Kembali ke dasbor dan coba lagi.",
           500: "Maaf, ada kesalahan di server. Coba lagi sebentar lagi."}
log = logging.getLogger(__name__)



async def _http_error(request: Request, exc: HTTPException):
    if exc.status_code in (301, 302, 303, 307) and exc.headers and "Location" in exc.headers:
        return RedirectResponse(exc.headers["Location"], status_code=exc.status_code)
    # Starlette's own details ("Method Not Allowed") are English: only ours are shown
    ours = exc.detail and exc.detail != _phrase(exc.status_code) and exc.status_code != 404
    return page(request, "error.html", status_code=exc.status_code,
                title=TITLES.get(exc.status_code, TITLES[500]),
                detail=exc.detail if ours else DETAILS.get(exc.status_code, ""))


async def _server_error(request: Request, exc: Exception):
    log.exception("web: %s %s", request.method, request.url.path, exc_info=exc)
    return page(request, "error.html", status_code=500, title=TITLES[500], detail=DETAILS[500],
                user=None)


def _phrase(status: int) -> str:
    from http import HTTPStatus
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def favicon(request: Request):
    return RedirectResponse(request.url_for("static", path="favicon.svg").path, status_code=301)


def create_app(engine: Engine, config: WebConfig | None = None) -> Starlette:
    config = config or WebConfig.from_env()
    routes = [*public.routes, *login.routes, *dashboard.routes,
              Route("/favicon.ico", favicon),
              Mount("/static", StaticFiles(directory=STATIC), name="static")]
    middleware = [Middleware(SecurityHeaders, tile_url=config.tile_url)]
    if config.host_names:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=config.host_names))
    middleware += [Middleware(PublicGZip),
                   Middleware(ServerSessionMiddleware, engine=engine, config=config)]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.state.engine = engine
    app.state.config = config
    return app
