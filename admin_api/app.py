"""Builds the FastAPI application with its dependencies attached to ``app.state``."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy.engine import Engine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from admin_api.console.csrf import ConsoleCsrfMiddleware
from admin_api.console.router import install_console
from admin_api.errors import ERROR_RESPONSES, install_error_handlers
from admin_api.middleware import (
    DOCS_ASSETS_PATH,
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    TokenGateMiddleware,
)
from admin_api.routes import (
    announcements,
    auth,
    health,
    knowledge,
    questions,
    reports,
    staff,
)
from admin_api.security import LoginThrottle
from knowledge_base.answering.loader import EngineCache
from knowledge_base.core.messaging import Messenger
from knowledge_base.core.settings import Settings


def create_app(
    settings: Settings,
    engine: Engine,
    *,
    messenger: Messenger | None = None,
    readiness: Callable[[], Mapping[str, str]] | None = None,
    extra_routers: Sequence[APIRouter] = (),
    public_paths: Collection[str] = (),
    engine_cache: EngineCache | None = None,
    wake_outbox: Callable[[], None] | None = None,
) -> FastAPI:
    """The admin API for ``settings`` on ``engine``.

    ``messenger`` sends staff test copies to a chat; ``readiness`` tells ``/healthz/ready``
    the state of the process's other parts (``{"bot": "ok", "scheduler": "down"}``; ok,
    disabled or down). ``extra_routers`` are routes another front serves on the same web
    server (the Telegram webhook); their ``public_paths`` need no staff token.
    ``engine_cache`` is the process's question engine, shared with the bot when it runs;
    ``wake_outbox`` tells the outbox sender that new messages wait (answers, dismissals).
    """
    # The API docs are served from assets shipped in the package: no CDN, works offline.
    app = FastAPIOffline(
        static_url=DOCS_ASSETS_PATH,
        title="TanyaPemilu Admin API",
        version="0.1.0",
        description="Layanan staf KPU: tindak lanjut pertanyaan warga dan pengelolaan basis pengetahuan.",
        responses=ERROR_RESPONSES,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.messenger = messenger
    app.state.readiness = readiness
    app.state.wake_outbox = wake_outbox
    app.state.engine_cache = engine_cache or EngineCache(settings, engine)
    app.state.login_throttle = LoginThrottle.from_settings(settings)
    install_error_handlers(app)
    for module in (health, auth, staff, questions, knowledge, announcements, reports):
        app.include_router(module.router)
    for router in extra_routers:
        app.include_router(router)
    install_console(app, settings)  # the staff console's pages under /staf/
    install_guards(app, settings, frozenset(public_paths))
    return app


def install_guards(app: FastAPI, settings: Settings, public_paths: frozenset[str]) -> None:
    """Outermost first: forwarded headers (only from trusted proxies), security headers, the
    token check (a session cookie on console paths), the body limits and the console's CSRF
    check, all before a route reads the request body."""
    app.add_middleware(ConsoleCsrfMiddleware, settings=settings)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(TokenGateMiddleware, settings=settings, public_paths=public_paths)
    app.add_middleware(SecurityHeadersMiddleware, public_paths=public_paths)
    if settings.trusted_proxy_list:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
