"""One JSON error shape for every failure: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from admin_api.asgi_send import TrackedSend

logger = logging.getLogger(__name__)

MESSAGES = {
    400: "Permintaan tidak valid.",
    401: "Silakan masuk terlebih dahulu.",
    403: "Anda tidak memiliki akses untuk tindakan ini.",
    404: "Data tidak ditemukan.",
    405: "Metode tidak diizinkan untuk alamat ini.",
    409: "Data bertentangan dengan data yang sudah ada.",
    422: "Data yang dikirim tidak valid.",
    429: "Terlalu banyak percobaan. Silakan coba lagi nanti.",
    500: "Terjadi kesalahan pada server. Silakan coba lagi.",
    503: "Layanan sedang tidak tersedia. Silakan coba lagi nanti.",
}
DATABASE_UNAVAILABLE = "Basis data tidak dapat dipakai saat ini."
# Failures of the database itself (unreachable, read-only, disk full, standby), not of a
# request: the client may retry later. Constraint and programming errors stay 500s.
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.InternalError,
    sa_exc.TimeoutError,
)


class ErrorDetail(BaseModel):
    code: int = Field(examples=[404])
    message: str = Field(examples=["Data tidak ditemukan."])
    fields: dict[str, str] = Field(default_factory=dict, examples=[{"username": "terlalu pendek"}])


class ErrorBody(BaseModel):
    """The shape of every error response."""

    error: ErrorDetail


# Declared on every operation so the OpenAPI document tells clients the real error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": MESSAGES[code]}
    for code in (400, 401, 403, 404, 409, 422, 429, 500, 503)
}


def error_body(status: int, message: str | None = None, fields: dict | None = None) -> dict:
    return {
        "error": {
            "code": status,
            "message": message or MESSAGES.get(status, "Terjadi kesalahan."),
            "fields": fields or {},
        }
    }


def _allowed_methods(request: Request) -> str:
    # Starlette lists only the first matching route's methods; a path served by several
    # routes (GET and POST /staff) must list all of them.
    path = request.url.path
    methods = {
        method
        for route in request.app.routes
        if isinstance(route, APIRoute) and route.path_regex.match(path)
        for method in route.methods
    }
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    generic = {"Not Found", "Method Not Allowed"}
    message = exc.detail if isinstance(exc.detail, str) and exc.detail not in generic else None
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return JSONResponse(
        error_body(exc.status_code, message), status_code=exc.status_code, headers=headers
    )


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    fields: dict[str, str] = {}
    for detail in exc.errors():
        location = [str(part) for part in detail["loc"] if part not in ("body", "query", "path")]
        fields[".".join(location) or "body"] = detail["msg"]
    names = ", ".join(fields)
    return JSONResponse(
        error_body(422, f"Data tidak valid pada: {names}.", fields), status_code=422
    )


def database_failure(exc: BaseException) -> str:
    """The driver's own one-line reason, without the statement (which may hold personal data)."""
    reason = getattr(exc, "orig", None) or exc
    return " ".join(str(reason).split())[:300] or type(reason).__name__


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error(
        "database unavailable on %s %s: %s", request.method, request.url.path, database_failure(exc)
    )
    return JSONResponse(error_body(503, DATABASE_UNAVAILABLE), status_code=503)


class UnexpectedErrorMiddleware:
    """Answers an unhandled exception with a 500 in the one error shape, logging its traceback
    once (method and path only, never the body).

    Starlette's own handler for ``Exception`` answers too but then re-raises, so the server
    logs the same traceback a second time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except StarletteHTTPException:
            raise  # an HTTP answer meant for an outer middleware (a body-size limit)
        except Exception:
            logger.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if not tracked.started:
                await JSONResponse(error_body(500), status_code=500)(scope, receive, send)


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    # Last resort for failures outside UnexpectedErrorMiddleware (in a middleware added
    # later): Starlette re-raises after this answer, and the server logs the traceback.
    return JSONResponse(error_body(500), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Every failure answers in the one error shape, unexpected ones included."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for error in DATABASE_ERRORS:
        app.add_exception_handler(error, _database_error)
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(UnexpectedErrorMiddleware)
