"""ASGI guards that run before a route reads anything: security headers, a token check for
protected paths (a session cookie check for the staff console), and per-route request-body
limits (413 in the one error shape)."""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin_api.asgi_send import TrackedSend
from admin_api.console.addresses import (
    STATIC_PATH,
    is_console_path,
    is_console_public,
    login_redirect,
)
from admin_api.errors import error_body
from admin_api.security import CONSOLE_SESSION_COOKIE, read_access_token, read_console_session
from knowledge_base.core.settings import Settings

KIB = 1024
DEFAULT_BODY_LIMIT = 64 * KIB
# Routes that legitimately take more than the default; longest prefix wins.
BODY_LIMITS: dict[str, int] = {
    "/kb/import": 5 * KIB * KIB,
    "/kb/stages": 256 * KIB,
}
# Paths served without a staff token; everything else needs one before its body is read.
# (Routes mounted by another front, such as the Telegram webhook, add their own paths.)
PUBLIC_PATHS = frozenset({"/auth/token", "/healthz", "/healthz/ready", "/public/stats"})
DOCS_ASSETS_PATH = "/docs-assets"
PUBLIC_PREFIXES = ("/docs", "/redoc", "/openapi.json")  # also covers DOCS_ASSETS_PATH
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Swagger UI and ReDoc need their own scripts and styles (served locally, see the docs routes).
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'"
)
# The staff console: its own scripts and styles only (no inline code), forms to itself.
CONSOLE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def csp_for(path: str) -> str:
    """The Content-Security-Policy of responses on ``path``."""
    if is_console_path(path):
        return CONSOLE_CSP
    return DOCS_CSP if path.startswith(("/docs", "/redoc")) else API_CSP


def is_cacheable(path: str, public_paths: frozenset[str], authorization: str | None) -> bool:
    """Whether a response on ``path`` may be stored by the browser (public and anonymous, or
    a console static file)."""
    if path.startswith(STATIC_PATH + "/"):
        return True
    return not is_console_path(path) and is_public(path, public_paths) and not authorization


def body_limit_for(path: str) -> int:
    """The largest request body accepted on ``path``."""
    matches = [prefix for prefix in BODY_LIMITS if path.startswith(prefix)]
    return BODY_LIMITS[max(matches, key=len)] if matches else DEFAULT_BODY_LIMIT


def is_public(path: str, extra: frozenset[str] = frozenset()) -> bool:
    """Whether ``path`` is served without a staff token (``extra``: mounted public paths)."""
    return path in PUBLIC_PATHS or path in extra or path.startswith(PUBLIC_PREFIXES)


async def _send_error(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    message: str | None = None,
    **headers: str,
) -> None:
    response = JSONResponse(error_body(status, message), status_code=status, headers=headers)
    await response(scope, receive, send)


class SecurityHeadersMiddleware:
    """Adds nosniff, a CSP, framing and referrer rules to every response, and ``no-store`` to
    every response that is not public."""

    def __init__(self, app: ASGIApp, public_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.public_paths = public_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"content-security-policy", csp_for(path).encode()),
        ]
        authorization = Headers(scope=scope).get("authorization")
        if not is_cacheable(path, self.public_paths, authorization):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((name, value) for name, value in extra if name not in names),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TokenGateMiddleware:
    """Refuses a protected request without a valid bearer token before its body is read.

    The route's own dependency still loads the account (deactivation takes effect at once);
    this only stops anonymous clients from making the server read and parse large bodies.
    Console paths need a signed session cookie instead: without one the browser is sent to
    the console's login page.
    """

    def __init__(
        self, app: ASGIApp, settings: Settings, public_paths: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.settings = settings
        self.public_paths = public_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or is_public(path, self.public_paths)
            or scope["method"] == "OPTIONS"
        ):
            await self.app(scope, receive, send)
            return
        if is_console_path(path):
            await self._console_gate(scope, receive, send)
            return
        scheme, _, token = (Headers(scope=scope).get("authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or read_access_token(self.settings, token) is None:
            await _send_error(scope, receive, send, 401, **{"www-authenticate": "Bearer"})
            return
        await self.app(scope, receive, send)

    async def _console_gate(self, scope: Scope, receive: Receive, send: Send) -> None:
        cookies = cookie_parser(Headers(scope=scope).get("cookie") or "")
        session = read_console_session(self.settings, cookies.get(CONSOLE_SESSION_COOKIE))
        if session is None and not is_console_public(scope["path"]):
            await login_redirect(scope)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class _BodyTooLarge(HTTPException):
    """Raised while a route reads a streamed body; FastAPI lets HTTP errors through as they
    are, so the client gets the 413 in the one error shape."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large_message(limit))


class BodyLimitMiddleware:
    """Answers 413 when a request body is larger than its route allows, whether announced in
    ``Content-Length`` or streamed in chunks."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_error(scope, receive, send, 413, _too_large_message(limit))
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(limit)
            return message

        tracked = TrackedSend(send)
        try:
            await self.app(scope, limited_receive, tracked)
        except _BodyTooLarge:
            if not tracked.started:
                await _send_error(scope, receive, send, 413, _too_large_message(limit))


def _too_large_message(limit: int) -> str:
    return f"Data yang dikirim terlalu besar (paling banyak {limit // KIB} KB)."
