"""Health for load balancers and the status page: does the database take writes, and is
everything configured (the Telegram bot, the announcement scheduler) running?"""

from __future__ import annotations

import logging
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from admin_api.deps import get_engine
from admin_api.errors import DATABASE_UNAVAILABLE, ErrorBody, database_failure, error_body
from knowledge_base.core.db import check_writable

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])
EngineDep = Annotated[Engine, Depends(get_engine)]
READY_STATES = frozenset({"ok", "disabled"})
# What must run; other keys (e.g. scheduler_role: leader/standby) only inform.
COMPONENTS = ("database", "bot", "scheduler", "outbox")


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """Each component is ``ok``, ``disabled`` (not configured) or ``down``."""

    status: Literal["ok"] = "ok"
    components: dict[str, str]


UNAVAILABLE = {503: {"model": ErrorBody, "description": "Ada komponen yang tidak berjalan."}}


def database_state(engine: Engine) -> str:
    """``ok`` when the database accepts a write, ``down`` otherwise."""
    try:
        check_writable(engine)
    except SQLAlchemyError as exc:
        logger.warning("health check: database not writable: %s", database_failure(exc))
        return "down"
    return "ok"


def runtime_states(app: FastAPI) -> dict[str, str]:
    """The bot's and the scheduler's state, from the process's readiness callable when given."""
    readiness = app.state.readiness
    if readiness is not None:
        return dict(readiness())
    return {"bot": "disabled", "scheduler": "disabled"}


@router.get("/healthz", response_model=Health, responses=UNAVAILABLE)
def healthz(engine: EngineDep) -> JSONResponse:
    """200 with ``{"status": "ok"}`` when the database accepts writes, 503 otherwise."""
    if database_state(engine) != "ok":
        body = error_body(503, DATABASE_UNAVAILABLE, {"database": "down"})
        return JSONResponse(body, status_code=503)
    return JSONResponse(Health().model_dump())


@router.get("/healthz/ready", response_model=Readiness, responses=UNAVAILABLE)
def ready(request: Request, engine: EngineDep) -> JSONResponse:
    """200 when everything configured runs; otherwise 503 whose ``fields`` give each
    component's state (``database``, ``bot``, ``scheduler``)."""
    components = {"database": database_state(engine), **runtime_states(request.app)}
    down = [name for name in COMPONENTS if components.get(name, "ok") not in READY_STATES]
    if down:
        message = f"Layanan belum siap: {', '.join(down)} tidak berjalan."
        return JSONResponse(error_body(503, message, components), status_code=503)
    return JSONResponse(Readiness(components=components).model_dump())
