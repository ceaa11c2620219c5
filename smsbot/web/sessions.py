"""Sessions kept on the server: the cookie holds a random token and nothing else.

Rules a caller must know:
- `request.session` is a dict as with Starlette's SessionMiddleware; it is saved to the
  `WebSession` row when the response starts. A visitor who never gets a form (public pages)
  gets no row and no cookie.
- `rotate(request)` gives the session a new token at login (no session fixation);
  `end(request)` deletes the row at logout: a copy of the old cookie opens nothing.
- A session dies IDLE after its last request and ABSOLUTE after it began, whatever it does.
- Secure cookie: `WebConfig.https_only` True = always, False = never, None = when the
  request came over HTTPS (directly or as the trusted proxy's X-Forwarded-Proto says).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlmodel import Session, select
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection

from smsbot.clock import from_db, to_db
from smsbot.contacts.models import WebSession

COOKIE = "smsbot"
IDLE = timedelta(hours=2)
ABSOLUTE = timedelta(hours=12)
TOUCH = timedelta(minutes=1)  # seen_at is written at most this often


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSession(dict):
    """The session's data plus what the middleware must know to save it."""

    def __init__(self, data=None, row_id: int | None = None, token: str = ""):
        super().__init__(data or {})
        self.row_id = row_id
        self.token = token
        self.loaded = json.dumps(data or {}, sort_keys=True)
        self.rotated = False
        self.ended = False


def rotate(request) -> None:
    """Give the session a new token, keeping its data (call at login)."""
    request.session.rotated = True


def end(request) -> None:
    """Delete the session (logout): its cookie opens nothing any more."""
    request.session.ended = True
    request.session.clear()


def sweep(session: Session, now: datetime) -> None:
    """Delete the sessions past their idle or absolute timeout."""
    session.exec(delete(WebSession).where(or_(WebSession.seen_at < to_db(now - IDLE),
                                              WebSession.created_at < to_db(now - ABSOLUTE))))


def live(row: WebSession | None, now: datetime) -> bool:
    return (row is not None and from_db(row.seen_at) > now - IDLE
            and from_db(row.created_at) > now - ABSOLUTE)


def active(session: Session, now: datetime) -> list[WebSession]:
    """The logged-in sessions that are still alive, most recent first (the admin's list)."""
    rows = session.exec(select(WebSession).where(WebSession.phone != "")
                        .order_by(WebSession.seen_at.desc())).all()
    return [row for row in rows if live(row, now)]


def revoke(session: Session, row_id: int) -> bool:
    return session.exec(delete(WebSession).where(WebSession.id == row_id)).rowcount == 1


class ServerSessionMiddleware:
    def __init__(self, app, engine, config):
        self.app = app
        self.engine = engine
        self.config = config

    def _load(self, token: str, now: datetime) -> ServerSession:
        if not token or len(token) > 100:
            return ServerSession()
        with Session(self.engine) as session:
            row = session.exec(select(WebSession).where(
                WebSession.token_hash == token_hash(token))).first()
            if not live(row, now):
                if row is not None:
                    session.delete(row)
                    session.commit()
                return ServerSession()
            try:
                data = json.loads(row.data)
            except ValueError:
                data = {}
            if now - from_db(row.seen_at) > TOUCH:
                row.seen_at = to_db(now)
                session.add(row)
                session.commit()
            return ServerSession(data, row.id, token)

    def _save(self, state: ServerSession, scope, now: datetime) -> str | None:
        """Write the row; the token the cookie must now carry, "" to clear it, None to leave
        the cookie as it is."""
        dumped = json.dumps(dict(state), sort_keys=True)
        with Session(self.engine) as session:
            row = session.get(WebSession, state.row_id) if state.row_id else None
            if state.ended or not state:
                if row is None:
                    return None if not state.token else ""
                session.delete(row)
                session.commit()
                return ""
            if row is None:
                sweep(session, now)
                row = WebSession(token_hash="", created_at=to_db(now), seen_at=to_db(now))
                state.rotated = True
            elif dumped == state.loaded and not state.rotated:
                return None
            token = secrets.token_urlsafe(32) if state.rotated else state.token
            row.token_hash = token_hash(token)
            row.data = dumped
            row.phone = str(state.get("phone", ""))
            if state.rotated:
                connection = HTTPConnection(scope)
                row.client = (connection.client.host if connection.client else "")[:64]
                row.agent = connection.headers.get("user-agent", "")[:120]
                row.created_at = row.seen_at = to_db(now)
            session.add(row)
            session.commit()
            return token if state.rotated else None

    def _cookie(self, token: str, scope) -> str:
        secure = self.config.https_only
        if secure is None:
            secure = scope.get("scheme") == "https"
        if not token:
            return f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        flags = f"Path=/; Max-Age={int(ABSOLUTE.total_seconds())}; HttpOnly; SameSite=Lax"
        return f"{COOKIE}={token}; {flags}" + ("; Secure" if secure else "")

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        now = self.config.clock()
        state = self._load(connection.cookies.get(COOKIE, ""), now)
        scope["session"] = state

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                token = self._save(state, scope, now)
                if token is not None:
                    headers = MutableHeaders(scope=message)
                    headers.append("Set-Cookie", self._cookie(token, scope))
            await send(message)

        await self.app(scope, receive, send_wrapper)

