"""Liveness for load balancers and the status page: is the database reachable?"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from admin_api.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(session: SessionDep) -> JSONResponse:
    """200 with ``{"status": "ok"}`` when the database answers, 503 otherwise."""
    try:
        session.connection().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse(
            status_code=503,
            content={"status": "error", "detail": "Basis data tidak dapat dihubungi."},
        )
    return JSONResponse(content={"status": "ok"})
