"""The ASGI application: `create_app(engine, config)`.

Routes live in their own modules (public pages, login, dashboard), each exporting `routes`.
Static files (CSS, Leaflet) are served from the package: the site works without a CDN.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from smsbot.web import dashboard, login, public
from smsbot.web.config import WebConfig
from smsbot.web.render import page
from smsbot.web.security import session_secret

STATIC = Path(__file__).parent / "static"
SESSION_HOURS = 12


async def _http_error(request: Request, exc: HTTPException):
    if exc.status_code in (301, 302, 303, 307) and exc.headers and "Location" in exc.headers:
        return RedirectResponse(exc.headers["Location"], status_code=exc.status_code)
    titles = {403: "Tidak diizinkan", 404: "Tidak ditemukan", 405: "Metode tidak diizinkan"}
    return page(request, "error.html", status_code=exc.status_code,
                title=titles.get(exc.status_code, "Terjadi kesalahan"),
                detail=exc.detail if exc.detail and exc.status_code != 404 else "")


def create_app(engine: Engine, config: WebConfig | None = None) -> Starlette:
    config = config or WebConfig.from_env()
    secret = session_secret(config.secret, config.secret_file)
    routes = [*public.routes, *login.routes, *dashboard.routes,
              Mount("/static", StaticFiles(directory=STATIC), name="static")]
    middleware = [Middleware(SessionMiddleware, secret_key=secret, session_cookie="smsbot",
                             max_age=SESSION_HOURS * 3600, same_site="lax",
                             https_only=config.https_only)]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: _http_error})
    app.state.engine = engine
    app.state.config = config
    return app
