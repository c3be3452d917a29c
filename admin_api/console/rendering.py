"""Templates and what every page gets: the layout's data, the CSRF token, flash messages
carried across a POST-redirect-GET, and dates in office time."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from admin_api.console.addresses import CONSOLE_PREFIX, STATIC_PATH
from admin_api.console.formatting import format_date, format_datetime
from admin_api.console.sessions import is_https
from knowledge_base.core.settings import Settings
from knowledge_base.staff.models import StaffRole, StaffUser

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
FLASH_COOKIE = "staf_pesan"
FLASH_SALT = "tanyapemilu.console.flash"
FLASH_KINDS = ("success", "error")


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    admin_only: bool = False


# The console's sections, in menu order (each page module serves its own path).
NAVIGATION = (
    NavItem("Kotak masuk", "/staf/kotak-masuk"),
    NavItem("Basis pengetahuan", "/staf/pengetahuan"),
    NavItem("Usulan frasa", "/staf/usulan-frasa"),
    NavItem("Tahapan", "/staf/tahapan"),
    NavItem("Pengumuman", "/staf/pengumuman"),
    NavItem("Dasbor", "/staf/dasbor"),
    NavItem("Staf", "/staf/staf", admin_only=True),
)


@dataclass(frozen=True)
class FlashMessage:
    kind: str  # "success" or "error"
    text: str


def static_versions() -> dict[str, str]:
    """A short content hash per static file, so browsers fetch a file again after an upgrade."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in STATIC_DIR.iterdir()
        if path.is_file()
    }


def build_templates(settings: Settings) -> Jinja2Templates:
    """The console's templates with its filters (``waktu``, ``tanggal``) and globals."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    versions = static_versions()
    env = templates.env
    env.trim_blocks = env.lstrip_blocks = True
    env.filters["waktu"] = partial(format_datetime, zone=settings.zone)
    env.filters["tanggal"] = partial(format_date, zone=settings.zone)
    env.globals["static_url"] = lambda name: f"{STATIC_PATH}/{name}?v={versions.get(name, '')}"
    env.globals["office_name"] = settings.office_name
    return templates


def csrf_token(request: Request) -> str:
    """The token every console form and htmx request sends back (set by the CSRF check)."""
    token = request.scope.get("csrftoken")
    return token() if callable(token) else ""


def _signer(request: Request) -> URLSafeSerializer:
    secret = request.app.state.settings.secret_key.get_secret_value()
    return URLSafeSerializer(secret, salt=FLASH_SALT)


def flash(response: Response, request: Request, kind: str, text: str) -> None:
    """Show ``text`` on the next page this browser opens (after a redirect)."""
    if kind not in FLASH_KINDS:
        raise ValueError(f"unknown flash kind {kind!r}")
    pending = [[m.kind, m.text] for m in _pending_messages(request)] + [[kind, text]]
    response.set_cookie(
        FLASH_COOKIE,
        _signer(request).dumps(pending),
        path=CONSOLE_PREFIX,
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


def _pending_messages(request: Request) -> list[FlashMessage]:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return []
    try:
        items = _signer(request).loads(raw)
        return [FlashMessage(kind, text) for kind, text in items if kind in FLASH_KINDS]
    except (BadSignature, TypeError, ValueError):
        return []


def see_other(
    request: Request, path: str, *, success: str | None = None, error: str | None = None
) -> RedirectResponse:
    """A 303 to ``path`` (the GET after a POST), carrying a success or error message."""
    response = RedirectResponse(path, status_code=303)
    for kind, text in (("success", success), ("error", error)):
        if text:
            flash(response, request, kind, text)
    return response


def _navigation(staff: StaffUser | None, path: str) -> list[dict[str, Any]]:
    if staff is None:
        return []
    is_admin = staff.role == StaffRole.ADMIN
    return [
        {"label": item.label, "path": item.path, "current": path.startswith(item.path)}
        for item in NAVIGATION
        if is_admin or not item.admin_only
    ]


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """``template`` in the layout, for the staff member of this request (if any), showing and
    then forgetting the messages flashed for it."""
    staff: StaffUser | None = getattr(request.state, "console_staff", None)
    messages = _pending_messages(request)
    page = {
        "staff": staff,
        "staff_name": (staff.full_name or staff.username) if staff else "",
        "navigation": _navigation(staff, request.url.path),
        "csrf_token": csrf_token(request),
        "messages": messages,
        **(context or {}),
    }
    templates: Jinja2Templates = request.app.state.console_templates
    response = templates.TemplateResponse(request, template, page, status_code=status_code)
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(
            FLASH_COOKIE,
            path=CONSOLE_PREFIX,
            secure=is_https(request),
            httponly=True,
            samesite="lax",
        )
    return response
