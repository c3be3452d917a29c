"""Runs everything that is configured in one process until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram.ext import Application

from bot.application import (
    ALLOWED_UPDATES,
    build_application,
    start_application,
    stop_application,
)
from bot.broadcaster import Broadcaster
from bot.flood import FloodGuard
from bot.outbox_transport import build_outbox_sender
from bot.scheduling import AnnouncementScheduler
from bot.services import SERVICES_KEY, BotServices
from bot.webhook import WEBHOOK_PATH
from knowledge_base.answering.loader import load_engine
from knowledge_base.core.bootstrap import PreparedDatabase, prepare_database
from knowledge_base.core.db import check_writable, create_db_engine, describe_database
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.entries import knowledge_version
from knowledge_base.outbox.flows import OutboxSender
from tanyapemilu.cli.errors import StartupError
from tanyapemilu.web import compose_app

logger = logging.getLogger(__name__)
LISTEN_BACKLOG = 2048  # uvicorn's default


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
    address = f"http://{settings.api_host}:{settings.api_port}"
    return (
        f"TanyaPemilu running: admin API on {address} | staff console on {address}/staf/ | "
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


def build_bot(settings: Settings, engine: Engine) -> Application:
    """The bot over the prepared database (not yet started)."""
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
    return build_application(services, with_updater=not settings.webhook_url)


async def start_bot(settings: Settings, app: Application) -> None:
    """Check the token (``getMe``), then start polling or register the webhook."""
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


def bind_api_socket(host: str, port: int) -> socket.socket:
    """The admin API's listening socket, taken before anything else starts: a busy port must
    stop start-up before the bot polls."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise StartupError(
            f"cannot listen on {host}:{port} ({exc.strerror}); set TANYAPEMILU_API_HOST"
        ) from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(LISTEN_BACKLOG)
    except OSError as exc:
        sock.close()
        setting = "HOST" if exc.errno == errno.EADDRNOTAVAIL else "PORT"
        reason = (exc.strerror or str(exc)).lower()
        raise StartupError(
            f"cannot listen on {host}:{port} ({reason}); set TANYAPEMILU_API_{setting}"
        ) from exc
    return sock


@dataclass
class Components:
    """What this process started besides the API: stopped in reverse order, and reported by
    ``/healthz/ready``."""

    bot: Application | None = None
    outbox: OutboxSender | None = None
    scheduler: AnnouncementScheduler | None = None

    def states(self) -> dict[str, str]:
        """``ok``, ``disabled`` or ``down`` for the bot and the scheduler."""
        return {
            "bot": self._bot_state(),
            "scheduler": self._scheduler_state(),
            "scheduler_role": self._scheduler_role(),
            "outbox": self._outbox_state(),
        }

    def _outbox_state(self) -> str:
        if self.outbox is None:
            return "disabled"
        return "ok" if self.outbox.running else "down"

    def _scheduler_role(self) -> str:
        if self.scheduler is None:
            return "disabled"
        return "leader" if self.scheduler.leading else "standby"

    def _bot_state(self) -> str:
        if self.bot is None:
            return "disabled"
        polling = self.bot.updater is None or self.bot.updater.running
        return "ok" if self.bot.running and polling else "down"

    def _scheduler_state(self) -> str:
        if self.scheduler is None:
            return "disabled"
        # The scheduler's loop runs for the life of the process (leader or standby).
        return "ok" if self.scheduler.running else "down"

    async def stop(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self.outbox is not None:
            await self.outbox.stop()
        if self.bot is not None:
            await stop_application(self.bot)


async def start_components(settings: Settings, engine: Engine, started: Components) -> None:
    """Start the bot and the scheduler when a token is configured, recording each in
    ``started`` as soon as it exists so a failure stops what did start."""
    if not settings.telegram_enabled:
        return
    started.bot = build_bot(settings, engine)
    await start_bot(settings, started.bot)
    started.outbox = build_outbox_sender(settings, engine)  # its own Bot; start() calls getMe
    await started.outbox.start()
    broadcaster = Broadcaster(engine, started.bot.bot, outbox=started.outbox)
    calendar = started.bot.bot_data[SERVICES_KEY].calendar  # the office's working days
    started.scheduler = AnnouncementScheduler(settings, engine, broadcaster, calendar)
    await started.scheduler.start()


async def _until_started(server: uvicorn.Server, api: asyncio.Task[None]) -> None:
    while not server.started:
        if api.done():
            await api  # its own failure, if it raised
            raise StartupError("the admin API stopped during start-up; set TANYAPEMILU_API_PORT")
        await asyncio.sleep(0.01)


async def serve_forever(settings: Settings) -> None:
    """Run the admin API and, when configured, the bot and the announcement scheduler until
    SIGINT or SIGTERM. Everything that can fail at start (database, port, Telegram token) is
    checked before the status line is printed; a failure stops what had started."""
    stop = asyncio.Event()
    _stop_on_signals(stop)
    engine = create_db_engine(settings.database_url)
    started = Components()
    sock: socket.socket | None = None
    try:
        prepared = prepare_database(settings, engine)
        check_writable(engine)
        sock = bind_api_socket(settings.api_host, settings.api_port)
        await start_components(settings, engine, started)
        app = compose_app(
            settings,
            engine,
            bot_app=started.bot,
            readiness=started.states,
            wake_outbox=started.outbox.wake if started.outbox is not None else None,
        )
        # Our logging setup (levels, redaction) covers uvicorn too; forwarded headers are
        # believed only from TANYAPEMILU_TRUSTED_PROXIES, by the app itself.
        config = uvicorn.Config(app, log_config=None, log_level=None, proxy_headers=False)
        server = EmbeddedServer(config)
        api = asyncio.create_task(server.serve(sockets=[sock]))
        await _until_started(server, api)
        print(status_line(settings, prepared), flush=True)
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({api, stopped}, return_when=asyncio.FIRST_COMPLETED)
        server.should_exit = True
        await api
        stopped.cancel()
    finally:
        await started.stop()
        if sock is not None:
            sock.close()
        engine.dispose()
    logger.info("TanyaPemilu stopped")
