"""One JSON error shape for every failure: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

MESSAGES = {
    400: "Permintaan tidak valid.",
    401: "Silakan masuk terlebih dahulu.",
    403: "Anda tidak memiliki akses untuk tindakan ini.",
    404: "Data tidak ditemukan.",
    405: "Metode tidak diizinkan untuk alamat ini.",
    409: "Data bertentangan dengan data yang sudah ada.",
    422: "Data yang dikirim tidak valid.",
    429: "Terlalu banyak percobaan. Silakan coba lagi nanti.",
}


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
    for code in (400, 401, 403, 404, 409, 422, 429)
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


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
