"""Builds the FastAPI application with its dependencies attached to ``app.state``."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from admin_api.routes import health
from knowledge_base.settings import Settings


def create_app(settings: Settings, engine: Engine) -> FastAPI:
    """The admin API for ``settings``, using ``engine`` for every request."""
    app = FastAPI(title="TanyaPemilu Admin API", version="0.1.0")
    app.state.settings = settings
    app.state.engine = engine
    app.include_router(health.router)
    return app
