"""One JSON error shape for every failure: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

MESSAGES = {
    400: "Permintaan tidak valid.",
    401: "Silakan masuk terlebih dahulu.",
    403: "Anda tidak memiliki akses untuk tindakan ini.",
    404: "Data tidak ditemukan.",
    405: "Metode tidak diizinkan.",
    409: "Data bertentangan dengan data yang sudah ada.",
    422: "Data yang dikirim tidak valid.",
    429: "Terlalu banyak percobaan. Silakan coba lagi nanti.",
}


def error_body(status: int, message: str | None = None, fields: dict | None = None) -> dict:
    return {
        "error": {
            "code": status,
            "message": message or MESSAGES.get(status, "Terjadi kesalahan."),
            "fields": fields or {},
        }
    }


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    message = exc.detail if isinstance(exc.detail, str) and exc.detail != "Not Found" else None
    return JSONResponse(
        error_body(exc.status_code, message), status_code=exc.status_code, headers=exc.headers
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
