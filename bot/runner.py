"""Runs everything that is configured in one process until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram.ext import Application

from admin_api.app import create_app
from admin_api.routes.telegram import WEBHOOK_PATH
from bot.application import (
    ALLOWED_UPDATES,
    build_application,
    start_application,
    stop_application,
)
from bot.broadcaster import Broadcaster, BroadcastPolicy
from bot.flood import FloodGuard
from bot.messenger import TelegramMessenger
from bot.scheduling import AnnouncementScheduler
from bot.services import BotServices
from knowledge_base.bootstrap import PreparedDatabase, prepare_database
from knowledge_base.db import create_db_engine, describe_database
from knowledge_base.importer import knowledge_version
from knowledge_base.loader import load_engine
from knowledge_base.settings import Settings

logger = logging.getLogger(__name__)


class EmbeddedServer(uvicorn.Server):
    """Uvicorn without its own signal handling: the process runner owns SIGINT/SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def status_line(settings: Settings, prepared: PreparedDatabase) -> str:
    """One line telling an administrator what is running and on which database."""
    if not settings.telegram_enabled:
        bot = "disabled (set TANYAPEMILU_TELEGRAM_TOKEN to enable)"
    elif settings.webhook_url:
        bot = f"enabled (webhook {settings.webhook_url})"
    else:
        bot = "enabled (polling)"
    return (
        f"TanyaPemilu running: admin API on http://{settings.api_host}:{settings.api_port} | "
        f"database {describe_database(settings.database_url)} "
        f"(revision {prepared.revision}) | Telegram bot {bot}"
    )


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


def webhook_endpoint(public_url: str) -> str:
    """The full webhook address for the public base URL of this service."""
    base = public_url.rstrip("/")
    return base if base.endswith(WEBHOOK_PATH) else base + WEBHOOK_PATH


async def start_bot(settings: Settings, engine: Engine) -> Application:
    """Build the bot over the prepared database and start polling or the webhook."""
    with Session(engine) as session:
        question_engine = load_engine(session, settings)
        version = knowledge_version(session)
    services = BotServices(
        settings=settings,
        db=engine,
        engine=question_engine,
        flood=FloodGuard(settings.flood_burst, settings.flood_window_seconds),
        kb_version=version,
    )
    app = build_application(services, with_updater=not settings.webhook_url)
    await start_application(app)
    if settings.webhook_url:
        await app.bot.set_webhook(
            url=webhook_endpoint(settings.webhook_url),
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        await app.bot.delete_webhook()
        await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    return app


async def serve_forever(settings: Settings) -> None:
    """Run the admin API and, when configured, the bot and the announcement scheduler until
    SIGINT or SIGTERM."""
    stop = asyncio.Event()
    _stop_on_signals(stop)
    engine = create_db_engine(settings.database_url)
    bot_app: Application | None = None
    scheduler: AnnouncementScheduler | None = None
    try:
        prepared = prepare_database(settings, engine)
        if settings.telegram_enabled:
            bot_app = await start_bot(settings, engine)
            policy = BroadcastPolicy(rate_per_second=settings.broadcast_rate)
            scheduler = AnnouncementScheduler(
                settings, engine, Broadcaster(engine, bot_app.bot, policy)
            )
            await scheduler.start()
        messenger = TelegramMessenger(bot_app.bot) if bot_app is not None else None
        app = create_app(settings, engine, telegram_app=bot_app, messenger=messenger)
        server = EmbeddedServer(
            uvicorn.Config(app, host=settings.api_host, port=settings.api_port, log_level="warning")
        )
        api = asyncio.create_task(server.serve())
        print(status_line(settings, prepared), flush=True)
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({api, stopped}, return_when=asyncio.FIRST_COMPLETED)
        server.should_exit = True
        await api
        stopped.cancel()
    finally:
        if scheduler is not None:
            await scheduler.stop()
        if bot_app is not None:
            await stop_application(bot_app)
        engine.dispose()
    logger.info("TanyaPemilu stopped")
