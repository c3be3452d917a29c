"""The CSRF check of every console form and htmx request (asgi-csrf's double-submit cookie).

A page puts the token in a hidden ``csrftoken`` field (``form.csrf_field()`` in templates) and
the layout gives htmx an ``x-csrftoken`` header; a POST without a matching token gets a 403
page in Indonesian. Only ``/staf/`` is checked: the JSON API's bearer tokens are not sent by
browsers on their own, so they need no CSRF token.
"""

from __future__ import annotations

import logging

from asgi_csrf import Errors, asgi_csrf
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin_api.console import texts
from admin_api.console.addresses import CONSOLE_PREFIX, is_console_path
from admin_api.console.rendering import render
from knowledge_base.core.settings import Settings

logger = logging.getLogger(__name__)
CSRF_COOKIE = "staf_csrf"
CSRF_FIELD = "csrftoken"  # asgi-csrf's form field; its header is x-csrftoken
CSRF_NAMESPACE = "tanyapemilu.console.csrf"


class _EveryPath:
    """asgi-csrf lets a POST without any cookie through unless its path is "always
    protected"; a cross-site post to the login form carries none (SameSite), so every console
    path is."""

    def __contains__(self, path: object) -> bool:
        return True


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def refuse(scope: Scope, send: Send, reason: Errors) -> None:
    """Answer a form without a valid token with the console's 403 page."""
    logger.info("console form refused (%s) on %s %s", reason.name, scope["method"], scope["path"])
    request = Request(scope)
    page = {"title": "Formulir tidak dapat diproses", "message": texts.CSRF_REFUSED}
    response = render(request, "error.html", page, status_code=403)
    await response(scope, _no_body, send)


class ConsoleCsrfMiddleware:
    """asgi-csrf over the console's paths; the token cookie is Secure over HTTPS."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        options = {
            "cookie_name": CSRF_COOKIE,
            "signing_secret": settings.secret_key.get_secret_value(),
            "signing_namespace": CSRF_NAMESPACE,
            "always_protect": _EveryPath(),
            "cookie_path": CONSOLE_PREFIX,
            "cookie_samesite": "Lax",
            "send_csrf_failed": refuse,
        }
        self._over_http = asgi_csrf(app, cookie_secure=False, **options)
        self._over_https = asgi_csrf(app, cookie_secure=True, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_console_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        checked = self._over_https if scope.get("scheme") == "https" else self._over_http
        await checked(scope, receive, send)
