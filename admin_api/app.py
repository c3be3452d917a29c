"""Builds the FastAPI application with its dependencies attached to ``app.state``."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

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
    candidates,
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

API_DESCRIPTION = """Layanan staf KPU: tindak lanjut pertanyaan warga dan pengelolaan basis
pengetahuan.

The staff API of TanyaPemilu. Sign in with `POST /auth/token` (OAuth2 password flow, the
**Authorize** button here) and send `Authorization: Bearer <token>`. Routes marked *admins
only* refuse other staff with 403. Every error has the shape
`{"error": {"code", "message", "fields"}}`; messages are in Indonesian, for staff. Times are
UTC in ISO 8601; date filters are days of the office's calendar."""

# The tags in the order the docs show them, each with what its routes are for.
OPENAPI_TAGS = [
    {"name": "auth", "description": "Sign in: a username and password for a bearer token."},
    {
        "name": "staff",
        "description": "Staff accounts. Your own account for everyone; the rest for admins.",
    },
    {
        "name": "questions",
        "description": "Questions the bot could not answer: answer, dismiss, merge, assign or "
        "promote them. Every asker is told through the outbox.",
    },
    {
        "name": "knowledge base",
        "description": "Entries and their revisions (publishing needs a second person), YAML "
        "import and export, the election stages, the question tester, and the candidate "
        "phrasings learned from citizens for staff to accept or reject.",
    },
    {
        "name": "announcements",
        "description": "Announcements to subscribers: write, approve (a second person for "
        "all-subscriber ones), schedule, cancel, resume and test copies.",
    },
    {
        "name": "reports",
        "description": "Service statistics for staff and for the public, and the audit log.",
    },
    {"name": "health", "description": "For load balancers and status pages; no sign-in."},
]

# One short summary per operation, as the docs list them.
OPERATION_SUMMARIES = {
    "GET /healthz": "Check that the database accepts writes",
    "GET /healthz/ready": "Check every configured component",
    "POST /auth/token": "Sign in for a bearer token",
    "GET /staff/me": "Read your own account",
    "GET /staff": "List staff accounts (admins)",
    "POST /staff": "Create a staff account (admins)",
    "POST /staff/{staff_id}/deactivate": "Deactivate an account (admins)",
    "POST /staff/{staff_id}/reactivate": "Reactivate an account (admins)",
    "POST /staff/{staff_id}/password": "Set another account's password (admins)",
    "GET /questions": "List unanswered questions",
    "GET /questions/{question_id}": "Read a question with its askers",
    "POST /questions/{question_id}/answer": "Answer every asker",
    "POST /questions/{question_id}/merge": "Merge another question into this one",
    "POST /questions/{question_id}/assign": "Assign a question to a staff member",
    "POST /questions/{question_id}/dismiss": "Dismiss a question with a reason",
    "POST /questions/{question_id}/promote": "Promote an answer into the knowledge base",
    "GET /kb/entries": "List entries",
    "POST /kb/entries": "Create a draft entry",
    "GET /kb/entries/{slug}": "Read an entry",
    "PUT /kb/entries/{slug}": "Change or publish an entry",
    "DELETE /kb/entries/{slug}": "Delete an entry (admins)",
    "GET /kb/entries/{slug}/history": "Read an entry's revisions",
    "POST /kb/entries/{slug}/rollback/{version}": "Restore an earlier revision",
    "POST /kb/import": "Import entries from YAML (admins)",
    "GET /kb/export": "Export every entry as YAML",
    "GET /kb/stages": "List the election stages",
    "PUT /kb/stages": "Create or update stages (admins)",
    "DELETE /kb/stages/{stage_id}": "Delete a stage (admins)",
    "POST /kb/test": "Test what the bot answers",
    "GET /kb/candidates": "List candidate phrasings learned from citizens",
    "POST /kb/candidates/{candidate_id}/accept": "Accept a candidate phrasing into its entry",
    "POST /kb/candidates/{candidate_id}/reject": "Reject a candidate phrasing",
    "POST /announcements": "Write a draft announcement",
    "GET /announcements": "List announcements",
    "GET /announcements/{announcement_id}": "Read an announcement and its delivery",
    "PUT /announcements/{announcement_id}": "Change an announcement",
    "POST /announcements/{announcement_id}/submit": "Submit an announcement for sending",
    "POST /announcements/{announcement_id}/approve": "Approve someone else's announcement",
    "POST /announcements/{announcement_id}/cancel": "Cancel or stop an announcement",
    "POST /announcements/{announcement_id}/resume": "Resume an interrupted broadcast",
    "POST /announcements/{announcement_id}/test": "Send a test copy to one chat",
    "GET /stats": "Read the service statistics",
    "GET /public/stats": "Read the public statistics",
    "GET /audit": "Read the audit log (admins)",
}


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
        description=API_DESCRIPTION,
        openapi_tags=OPENAPI_TAGS,
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
    for module in (health, auth, staff, questions, knowledge, candidates, announcements, reports):
        app.include_router(module.router)
    for router in extra_routers:
        app.include_router(router)
    summarise_operations(app)
    install_console(app, settings)  # the staff console's pages under /staf/
    install_guards(app, settings, frozenset(public_paths))
    return app


def summarise_operations(app: FastAPI) -> None:
    """Give every operation of ``app``'s OpenAPI document its summary from
    ``OPERATION_SUMMARIES`` (instead of one made from the function's name)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            for path, operations in generate()["paths"].items():
                for method, operation in operations.items():
                    key = f"{method.upper()} {path}"
                    operation["summary"] = OPERATION_SUMMARIES.get(key, operation.get("summary"))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


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
