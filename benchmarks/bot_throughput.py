"""Answered updates per second through the whole bot pipeline, by polling and by webhook.

Run: ``.venv/bin/python -m benchmarks.bot_throughput``. 1,000 distinct questions from distinct
chats go in; a reply recorded by the fake Bot API server counts as answered. Outgoing rate
limits are switched off (Telegram's own cap, ~30 messages/s, would otherwise be the figure).
The fake server runs in its own process, so the bot's process is measured alone. The baseline,
measured in the same run, is a bare PTB echo bot driven the same way (what python-telegram-bot
itself costs), and a bare HTTP client sending the same 1,000 ``sendMessage`` calls to the same
fake server: the pipeline cannot be faster than that floor.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI
from sqlmodel import Session
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from benchmarks.common import benchmark_questions, percentile, print_table
from bot.application import (
    CONCURRENT_UPDATES,
    build_application,
    start_application,
    stop_application,
)
from bot.flood import FloodGuard
from bot.services import BotServices
from bot.webhook import webhook_router
from knowledge_base.answering.loader import load_engine
from knowledge_base.core.bootstrap import prepare_database
from knowledge_base.core.db import create_db_engine
from knowledge_base.core.settings import Settings
from tanyapemilu.runner import EmbeddedServer
from tanyapemilu.web import compose_app
from tests.ports import free_port
from tests.telegram.fake_server import FakeTelegram
from tests.telegram.harness import text_message

TOKEN = FakeTelegram().token

SECRET = "bench-secret"
FIRST_CHAT = 100_000


def _questions(count: int) -> list[str]:
    base = benchmark_questions(10_000)
    variants = ["", " ?", " min", " ya", " kak"]
    out = [q + v for v in variants for q in base]
    return out[:count]


def _seeded_database(folder: Path) -> str:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{folder / 'bench.db'}")
    engine = create_db_engine(settings.database_url)
    prepare_database(settings, engine)
    engine.dispose()
    return settings.database_url


def _settings(url: str, base_url: str, folder: Path, **extra: object) -> Settings:
    return Settings(
        _env_file=None,
        database_url=url,
        telegram_token=TOKEN,
        telegram_base_url=base_url,
        telegram_overall_rate=0,
        telegram_group_rate=0,
        cache_dir=folder,
        **extra,
    )


def _services(settings: Settings) -> BotServices:
    db = create_db_engine(settings.database_url)
    with Session(db) as session:
        engine = load_engine(session, settings)
    return BotServices(settings=settings, db=db, engine=engine, flood=FloodGuard(1000, 1.0))


@contextlib.contextmanager
def fake_server_process() -> Iterator[str]:
    """The fake Bot API in a separate process; yields its root URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tests.telegram.fake_server", str(port)])
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{root}/control/calls/sendMessage", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)


async def _replies(client: httpx.AsyncClient, root: str, count: int) -> list[dict]:
    deadline = time.monotonic() + 300
    while True:
        calls = (await client.get(f"{root}/control/calls/sendMessage")).json()
        if len(calls) >= count:
            return calls
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(calls)}/{count} replies")
        await asyncio.sleep(0.05)


def _result(name: str, calls: list[dict], sent_at: dict[int, float], elapsed: float) -> list:
    latencies = [(call["at"] - sent_at[call["chat_id"]]) * 1000 for call in calls]
    return [
        name,
        len(latencies),
        f"{len(latencies) / elapsed:.0f}",
        f"{percentile(latencies, 0.5):.0f}",
        f"{percentile(latencies, 0.99):.0f}",
    ]


def _updates(questions: list[str]) -> list[tuple[int, dict]]:
    return [
        (FIRST_CHAT + n, {"message": text_message(FIRST_CHAT + n, q)})
        for n, q in enumerate(questions)
    ]


def _echo_application(base_url: str, *, with_updater: bool = True) -> Application:
    """A bare PTB bot that echoes every text: the same builder settings as ours, no work."""

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(update.effective_message.text)

    builder = (
        Application.builder()
        .token(TOKEN)
        .base_url(base_url)
        .concurrent_updates(CONCURRENT_UPDATES)
        .connection_pool_size(CONCURRENT_UPDATES)
    )
    if not with_updater:
        builder = builder.updater(None)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def _polling(url: str, folder: Path, questions: list[str], echo: bool = False) -> list:
    with fake_server_process() as root:
        if echo:
            services, app = None, _echo_application(f"{root}/bot")
            await app.initialize()
            await app.start()
        else:
            services = _services(_settings(url, f"{root}/bot", folder))
            app = build_application(services)
            await start_application(app)
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        sent_at: dict[int, float] = {}
        async with httpx.AsyncClient() as client:
            started = time.monotonic()
            batch = 50
            updates = _updates(questions)
            for first in range(0, len(updates), batch):
                chunk = updates[first : first + batch]
                for chat_id, _update in chunk:
                    sent_at[chat_id] = time.monotonic()
                await client.post(f"{root}/control/updates", json=[u for _c, u in chunk])
            calls = await _replies(client, root, len(questions))
            elapsed = max(c["at"] for c in calls) - started
        await stop_application(app)
        if services is not None:
            services.db.dispose()
        return _result("echo bot, polling" if echo else "polling", calls, sent_at, elapsed)


WORKERS = 16


async def _in_workers(jobs: list, run) -> None:
    """Run ``run(job)`` for every job on a fixed pool of workers (httpx slows down badly when
    hundreds of requests wait on its connection pool at once)."""
    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        while not queue.empty():
            await run(queue.get_nowait())

    await asyncio.gather(*(worker() for _ in range(WORKERS)))


async def _webhook(url: str, folder: Path, questions: list[str], echo: bool = False) -> list:
    with fake_server_process() as root:
        settings = _settings(
            url, f"{root}/bot", folder, webhook_url="https://bench.example", webhook_secret=SECRET
        )
        if echo:
            services, app = None, _echo_application(f"{root}/bot", with_updater=False)
            await app.initialize()
            await app.start()
            api = FastAPI()
            api.include_router(webhook_router(app, SECRET))
        else:
            services = _services(settings)
            app = build_application(services, with_updater=False)
            await start_application(app)
            api = compose_app(settings, services.db, bot_app=app)
        port = free_port()
        server = EmbeddedServer(uvicorn.Config(api, port=port, log_level="warning"))
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        sent_at: dict[int, float] = {}
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=WORKERS)) as client:
            started = time.monotonic()
            update_id = iter(range(1, 10**9))

            async def post(job: tuple[int, dict]) -> None:
                chat_id, update = job
                sent_at[chat_id] = time.monotonic()
                response = await client.post(
                    f"http://127.0.0.1:{port}/telegram/webhook",
                    json={"update_id": next(update_id), **update},
                    headers=headers,
                )
                response.raise_for_status()

            await _in_workers(_updates(questions), post)
            calls = await _replies(client, root, len(questions))
            elapsed = max(c["at"] for c in calls) - started
        server.should_exit = True
        await serving
        await stop_application(app)
        if services is not None:
            services.db.dispose()
        return _result("echo bot, webhook" if echo else "webhook", calls, sent_at, elapsed)


async def _baseline(questions: list[str]) -> list:
    with fake_server_process() as root:
        sent_at: dict[int, float] = {}
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=WORKERS)) as client:
            started = time.monotonic()

            async def send(job: tuple[int, str]) -> None:
                chat_id, question = job
                sent_at[chat_id] = time.monotonic()
                await client.post(
                    f"{root}/bot{TOKEN}/sendMessage",
                    data={"chat_id": str(chat_id), "text": question},
                )

            await _in_workers([(FIRST_CHAT + n, q) for n, q in enumerate(questions)], send)
            calls = await _replies(client, root, len(questions))
            elapsed = max(c["at"] for c in calls) - started
        return _result("baseline: bare sendMessage", calls, sent_at, elapsed)


async def run(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tp-bot-bench-"))
    template = _seeded_database(folder)
    questions = _questions(count)
    rows = []
    for mode in (_polling, _webhook):
        copy = folder / f"{mode.__name__}.db"
        shutil.copyfile(template.removeprefix("sqlite:///"), copy)
        rows.append(await mode(f"sqlite:///{copy}", folder, questions))
        rows.append(await mode(f"sqlite:///{copy}", folder, questions, echo=True))
    rows.append(await _baseline(questions))
    print(f"Bot pipeline: {count} distinct questions, one process, SQLite")
    print_table(["mode", "answered", "updates/s", "p50 ms", "p99 ms"], rows)
    base = float(rows[-1][2])
    for ours, echo in ((rows[0], rows[1]), (rows[2], rows[3])):
        print(
            f"{ours[0]}: {float(ours[2]) / float(echo[2]):.2f}x of the echo bot, "
            f"{float(ours[2]) / base:.2f}x of the bare sendMessage rate"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=1000)
    asyncio.run(run(parser.parse_args().updates))


if __name__ == "__main__":
    main()
