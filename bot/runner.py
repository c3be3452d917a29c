"""Runs everything that is configured in one process until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

import uvicorn

from admin_api.app import create_app
from knowledge_base.bootstrap import PreparedDatabase, prepare_database
from knowledge_base.db import create_db_engine, describe_database
from knowledge_base.settings import Settings

logger = logging.getLogger(__name__)


class EmbeddedServer(uvicorn.Server):
    """Uvicorn without its own signal handling: the process runner owns SIGINT/SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def status_line(settings: Settings, prepared: PreparedDatabase) -> str:
    """One line telling an administrator what is running and on which database."""
    bot = (
        "enabled"
        if settings.telegram_enabled
        else "disabled (set TANYAPEMILU_TELEGRAM_TOKEN to enable)"
    )
    return (
        f"TanyaPemilu running: admin API on http://{settings.api_host}:{settings.api_port} | "
        f"database {describe_database(settings.database_url)} "
        f"(revision {prepared.revision}) | Telegram bot {bot}"
    )


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


async def serve_forever(settings: Settings) -> None:
    """Run the admin API until SIGINT or SIGTERM, then shut down cleanly."""
    stop = asyncio.Event()
    _stop_on_signals(stop)
    engine = create_db_engine(settings.database_url)
    try:
        prepared = prepare_database(settings, engine)
        app = create_app(settings, engine)
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
        engine.dispose()
    logger.info("TanyaPemilu stopped")
