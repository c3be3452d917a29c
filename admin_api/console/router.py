"""The console on the admin API's app: its pages under ``/staf``, static files under
``/staf/static`` and HTML error pages for console paths (JSON stays JSON everywhere else)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from admin_api.console import texts
from admin_api.console.addresses import (
    CONSOLE_PREFIX,
    LOGIN_PATH,
    STATIC_PATH,
    is_console_path,
    login_redirect,
)
from admin_api.console.deps import LoginRequired
from admin_api.console.pages import (
    account,
    announcements,
    auth,
    candidates,
    dashboard,
    inbox,
    knowledge,
    staff,
    stages,
    telegram_link,
)
from admin_api.console.rendering import STATIC_DIR, build_templates, flash, render
from admin_api.console.sessions import active_session, clear_session_cookie
from admin_api.security import CONSOLE_SESSION_COOKIE
from knowledge_base.core.settings import Settings

# Every page group of the console; a new page module adds its router here.
PAGE_ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    account.router,
    inbox.router,
    knowledge.router,
    candidates.router,
    stages.router,
    announcements.router,
    dashboard.router,
    staff.router,
    telegram_link.router,
)
ExceptionHandler = Callable[[Request, Exception], Awaitable[Response]]


def build_console_router() -> APIRouter:
    """All console pages below ``/staf`` (kept out of the API's OpenAPI document)."""
    router = APIRouter(prefix=CONSOLE_PREFIX, include_in_schema=False)
    router.add_api_route("", _console_root, methods=["GET"])
    for page_router in PAGE_ROUTERS:
        router.include_router(page_router)
    return router


def _console_root() -> RedirectResponse:
    """``/staf`` is the login page's address without its slash."""
    return RedirectResponse(LOGIN_PATH, status_code=308)


def install_console(app: FastAPI, settings: Settings) -> None:
    """Serve the console on ``app`` (after the API's error handlers are installed)."""
    app.state.console_templates = build_templates(settings)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="console-static")
    app.include_router(build_console_router())
    app.add_exception_handler(LoginRequired, _to_login_page)
    for error in (StarletteHTTPException, RequestValidationError):
        app.add_exception_handler(error, _pages_for_console(app.exception_handlers[error]))


async def _to_login_page(request: Request, exc: Exception) -> Response:
    """A session that ended (logout elsewhere, new password, deactivation) leads to the login."""
    response = login_redirect(request.scope)
    clear_session_cookie(response, request)
    flash(response, request, "error", texts.SESSION_ENDED)
    return response


def _pages_for_console(api_handler: ExceptionHandler) -> ExceptionHandler:
    async def handle(request: Request, exc: Exception) -> Response:
        if not is_console_path(request.url.path):
            return await api_handler(request, exc)
        if not hasattr(request.state, "console_staff"):
            # No route checked the session (an unknown page): look it up for the layout.
            await run_in_threadpool(_note_staff, request)
        return error_page(request, exc)

    return handle


def _note_staff(request: Request) -> None:
    cookie = request.cookies.get(CONSOLE_SESSION_COOKIE)
    active = None
    try:
        with Session(request.app.state.engine) as db:
            active = active_session(db, request.app.state.settings, cookie)
    except SQLAlchemyError:
        pass  # the error page still shows, without the menu
    request.state.console_staff = active.staff if active else None


def error_page(request: Request, exc: Exception) -> Response:
    """The console's page for an HTTP error raised by a console route (or for no route)."""
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 400
    detail = exc.detail if isinstance(exc, StarletteHTTPException) else None
    # Starlette's default detail is the English reason phrase: say it in Indonesian instead.
    custom = isinstance(detail, str) and detail != HTTPStatus(status).phrase
    page = {
        "title": texts.ERROR_TITLES.get(status, texts.GENERIC_ERROR_TITLE),
        "message": detail if custom else texts.ERROR_MESSAGES.get(status, texts.GENERIC_ERROR),
    }
    response = render(request, "error.html", page, status_code=status)
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        response.headers.update(exc.headers)
    return response
