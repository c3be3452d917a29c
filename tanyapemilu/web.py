"""The one web server: the staff API, with the Telegram webhook mounted when the bot uses one."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from telegram.ext import Application

from admin_api.app import create_app
from bot.messenger import TelegramMessenger
from bot.services import SERVICES_KEY
from bot.webhook import WEBHOOK_PATH, webhook_router
from knowledge_base.core.settings import Settings


def compose_app(
    settings: Settings,
    engine: Engine,
    *,
    bot_app: Application | None = None,
    readiness: Callable[[], Mapping[str, str]] | None = None,
    wake_outbox: Callable[[], None] | None = None,
) -> FastAPI:
    """The staff API on ``engine``; with a running bot, its sender and (in webhook mode, where
    a secret is configured) the webhook route."""
    if bot_app is None:
        return create_app(settings, engine, readiness=readiness, wake_outbox=wake_outbox)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    routers = [webhook_router(bot_app, secret)] if secret else []
    return create_app(
        settings,
        engine,
        engine_cache=bot_app.bot_data[SERVICES_KEY].engines,
        messenger=TelegramMessenger(bot_app.bot),
        readiness=readiness,
        wake_outbox=wake_outbox,
        extra_routers=routers,
        public_paths={WEBHOOK_PATH} if routers else (),
    )
