"""Builds the FastAPI application with its dependencies attached to ``app.state``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from admin_api.routes import health, telegram
from knowledge_base.settings import Settings

if TYPE_CHECKING:
    from telegram.ext import Application


def create_app(
    settings: Settings, engine: Engine, *, telegram_app: Application | None = None
) -> FastAPI:
    """The admin API for ``settings``, using ``engine``; ``telegram_app`` receives webhooks."""
    app = FastAPI(title="TanyaPemilu Admin API", version="0.1.0")
    app.state.settings = settings
    app.state.engine = engine
    app.state.telegram = telegram_app
    app.include_router(health.router)
    app.include_router(telegram.router)
    return app
