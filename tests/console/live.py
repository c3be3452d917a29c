"""A real web server for browser tests: the whole app (create_app) served by uvicorn on a free
127.0.0.1 port in a thread, on this test's database, with accounts made on demand; or the whole
office (``serve_office``): the app with the bot, outbox sender and scheduler of ``tanyapemilu
serve``, talking to the fake Bot API, so a test can follow a staff action to the citizen."""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin

import uvicorn
from fastapi import APIRouter, FastAPI, Request
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.responses import Response

from admin_api.app import create_app
from admin_api.console.deps import ConsoleAdmin
from admin_api.console.rendering import render
from knowledge_base.core.bootstrap import prepare_database
from knowledge_base.core.db import session_scope
from knowledge_base.core.settings import Settings
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole, StaffUser
from tanyapemilu.runner import Components, start_components
from tanyapemilu.web import compose_app
from tests.telegram.fake_server import FakeTelegram, running_fake_telegram
from tests.telegram.harness import Citizen

DEFAULT_PASSWORD = "kata-sandi-uji-123"
ADMIN_PROBE_PATH = "/staf/uji/khusus-admin"
_numbers = itertools.count(1)

# A page only admins may open, served by the test server alone: it proves ConsoleAdmin
# before the console's real admin pages exist.
admin_probe = APIRouter(include_in_schema=False)


@admin_probe.get(ADMIN_PROBE_PATH)
def _admin_probe(request: Request, admin: ConsoleAdmin) -> Response:
    return render(request, "inbox.html", {"title": "Khusus admin"})


@dataclass(frozen=True)
class Account:
    """A staff account the test made, with its password."""

    id: int
    username: str
    password: str
    role: str
    full_name: str


@dataclass
class LiveConsole:
    """The running console: its address, database and a way to make accounts."""

    base_url: str
    engine: Engine
    settings: Settings
    accounts: list[Account] = field(default_factory=list)

    def url(self, path: str = "/staf/") -> str:
        """The absolute address of ``path`` on this server."""
        return urljoin(self.base_url, path)

    def create_account(
        self,
        role: str = "staff",
        *,
        username: str | None = None,
        password: str = DEFAULT_PASSWORD,
        full_name: str | None = None,
    ) -> Account:
        """A new active account (``role`` "staff" or "admin")."""
        number = next(_numbers)
        username = username or f"{role}{number}"
        full_name = f"Petugas Uji {number}" if full_name is None else full_name
        with session_scope(self.engine) as session:
            user = create_staff(
                session,
                username=username,
                password=password,
                role=StaffRole(role),
                full_name=full_name,
            )
            account = Account(user.id, username, password, role, full_name)
        self.accounts.append(account)
        return account

    def deactivate(self, account: Account) -> None:
        """Switch the account off, as an admin would."""
        with session_scope(self.engine) as session:
            user = session.get(StaffUser, account.id)
            user.is_active = False
            session.add(user)

    def staff(self, account: Account) -> StaffUser:
        """The account's row as stored now."""
        with Session(self.engine) as session:
            return session.get(StaffUser, account.id)


class ThreadedServer:
    """uvicorn serving ``app`` from a thread until ``stop``."""

    def __init__(self, app: FastAPI) -> None:
        # Forwarded headers are believed only through the app's own settings, as in serve.
        config = uvicorn.Config(
            app, log_config=None, log_level="warning", lifespan="off", proxy_headers=False
        )
        self.server = uvicorn.Server(config)
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = int(self.socket.getsockname()[1])
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def start(self, timeout: float = 10.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test web server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@contextmanager
def serve_console(settings: Settings, engine: Engine) -> Iterator[LiveConsole]:
    """The whole app for ``settings`` served on a free 127.0.0.1 port until the block ends."""
    server = ThreadedServer(create_app(settings, engine, extra_routers=[admin_probe]))
    server.start()
    try:
        yield LiveConsole(f"http://127.0.0.1:{server.port}", engine, settings)
    finally:
        server.stop()


@dataclass
class LiveOffice(LiveConsole):
    """The console served as ``tanyapemilu serve`` runs it: with the polling bot, the outbox
    sender and the announcement scheduler, all talking to ``telegram`` (the fake Bot API)."""

    telegram: FakeTelegram | None = None

    def citizen(self, chat_id: int, **kwargs: object) -> Citizen:
        """A Telegram chat talking to the running bot."""
        return Citizen(self.telegram, chat_id, **kwargs)


class OfficeThread:
    """The composition root's components and the app, on an event loop of their own thread."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = int(self.socket.getsockname()[1])
        self.ready = threading.Event()
        self.failure: BaseException | None = None
        self.server: uvicorn.Server | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the test by start()
            self.failure = exc
            self.ready.set()

    async def _serve(self) -> None:
        started = Components()
        try:
            await asyncio.to_thread(prepare_database, self.settings, self.engine)  # as serve
            await start_components(self.settings, self.engine, started)
            app = compose_app(
                self.settings,
                self.engine,
                bot_app=started.bot,
                readiness=started.states,
                wake_outbox=started.outbox.wake if started.outbox is not None else None,
            )
            config = uvicorn.Config(
                app, log_config=None, log_level="warning", lifespan="off", proxy_headers=False
            )
            self.server = uvicorn.Server(config)
            serving = asyncio.create_task(self.server.serve(sockets=[self.socket]))
            while not self.server.started and not serving.done():
                await asyncio.sleep(0.01)
            self.ready.set()
            await serving
        finally:
            await started.stop()

    def start(self, timeout: float = 30.0) -> None:
        self.thread.start()
        if not self.ready.wait(timeout) or self.failure is not None:
            raise RuntimeError(f"the test office did not start: {self.failure!r}")

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        self.thread.join(timeout=20)
        self.socket.close()


@contextmanager
def serve_office(settings: Settings, engine: Engine) -> Iterator[LiveOffice]:
    """The app, bot, outbox and scheduler for ``settings`` against a fresh fake Bot API, on the
    database prepared as ``serve`` prepares it (the curated knowledge base seeded)."""
    with running_fake_telegram() as (fake, base_url):
        office_settings = settings.model_copy(
            update={
                "telegram_token": SecretStr(fake.token),
                "telegram_base_url": base_url,
                "broadcast_rate": 200.0,
                "scheduler_sync_seconds": 1.0,
            }
        )
        office = OfficeThread(office_settings, engine)
        office.start()
        try:
            yield LiveOffice(
                f"http://127.0.0.1:{office.port}", engine, office_settings, telegram=fake
            )
        finally:
            office.stop()
