"""The console's addresses, the redirect to its login page, and where a login may lead next."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.datastructures import Headers
from starlette.responses import RedirectResponse, Response
from starlette.types import Scope

CONSOLE_PREFIX = "/staf"
LOGIN_PATH = "/staf/"
LOGIN_FORM_PATH = "/staf/masuk"
LOGOUT_PATH = "/staf/keluar"
PASSWORD_PATH = "/staf/kata-sandi"
HOME_PATH = "/staf/kotak-masuk"
STATIC_PATH = "/staf/static"
# Served to visitors who are not logged in; every other console path needs a session.
PUBLIC_PATHS = frozenset({CONSOLE_PREFIX, LOGIN_PATH, LOGIN_FORM_PATH})
SAFE_METHODS = frozenset({"GET", "HEAD"})


def is_console_path(path: str) -> bool:
    """Whether ``path`` belongs to the console (``/staf`` and below)."""
    return path == CONSOLE_PREFIX or path.startswith(CONSOLE_PREFIX + "/")


def is_console_public(path: str) -> bool:
    """Whether a console ``path`` is served without a session (login page, static files)."""
    return path in PUBLIC_PATHS or path.startswith(STATIC_PATH + "/")


def safe_next(value: str | None) -> str:
    """``value`` when it is a console page of this site, else the inbox: a login never sends
    the browser to another host (``//evil.example``, ``https://…``, ``/\\evil``)."""
    if not value or value.startswith("//") or any(ch == "\\" or ord(ch) <= 32 for ch in value):
        return HOME_PATH
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not is_console_path(parts.path):
        return HOME_PATH
    if parts.path in PUBLIC_PATHS or parts.path.startswith(STATIC_PATH + "/"):
        return HOME_PATH
    return value


def login_url(next_path: str | None = None) -> str:
    """The login page, remembering ``next_path`` when it is a console page."""
    if next_path is None or safe_next(next_path) != next_path:
        return LOGIN_PATH
    return f"{LOGIN_PATH}?next={quote(next_path, safe='/')}"


def _page_address(scope: Scope, headers: Headers) -> str | None:
    """The console page to come back to after logging in, if the request names one."""
    if headers.get("hx-request"):
        # An htmx request fetches a fragment; the page is the one the browser shows.
        current = urlsplit(headers.get("hx-current-url", ""))
        return current.path + (f"?{current.query}" if current.query else "")
    if scope["method"] not in SAFE_METHODS:
        return None
    query = scope.get("query_string", b"").decode("latin-1")
    return scope["path"] + (f"?{query}" if query else "")


def login_redirect(scope: Scope) -> Response:
    """Send a visitor without a valid session to the login page: a 303 for the browser, or
    for htmx an ``HX-Redirect`` so the whole page (not a fragment) shows the login."""
    headers = Headers(scope=scope)
    target = login_url(_page_address(scope, headers))
    if headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
