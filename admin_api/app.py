"""Builds the FastAPI application with its dependencies attached to ``app.state``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from admin_api.errors import ERROR_RESPONSES, install_error_handlers
from admin_api.routes import (
    announcements,
    auth,
    health,
    knowledge,
    questions,
    reports,
    staff,
    telegram,
)
from admin_api.security import LoginThrottle
from knowledge_base.loader import EngineCache
from knowledge_base.messaging import Messenger
from knowledge_base.settings import Settings

if TYPE_CHECKING:
    from telegram.ext import Application


def create_app(
    settings: Settings,
    engine: Engine,
    *,
    telegram_app: Application | None = None,
    messenger: Messenger | None = None,
) -> FastAPI:
    """The admin API for ``settings`` on ``engine``.

    ``telegram_app`` receives webhook updates; ``messenger`` sends staff replies to citizens
    (the bot's Telegram sender).
    """
    app = FastAPI(
        title="TanyaPemilu Admin API",
        version="0.1.0",
        description="Layanan staf KPU: tindak lanjut pertanyaan warga dan pengelolaan basis pengetahuan.",
        responses=ERROR_RESPONSES,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.telegram = telegram_app
    app.state.messenger = messenger
    app.state.engine_cache = EngineCache(settings)
    app.state.login_throttle = LoginThrottle(settings.login_attempts, settings.login_window_seconds)
    install_error_handlers(app)
    for module in (health, auth, staff, questions, knowledge, announcements, reports, telegram):
        app.include_router(module.router)
    return app
