"""Citizens' reply latency while staff answer a question 100 citizens asked, against the same
traffic with no staff answer (the baseline, measured in the same run).

Run: ``.venv/bin/python -m benchmarks.answer_under_load [--database postgresql]``. The fake
Bot API runs in its own process; this process runs what ``tanyapemilu serve`` runs: the polling
bot, the outbox sender and the staff API (called in-process over ASGI). Citizens write at a
steady rate, half of them asking the very question being answered; in the second phase staff
answer it after a few seconds. Reported: citizens' reply p50/p99 in both phases and their
ratio (goal: within 2x), how long the answer call took (goal: < 1 s), how long until all 100
askers had the answer, "database is locked" log lines and PostgreSQL backends left idle in a
transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from admin_api.app import create_app
from benchmarks.bot_throughput import _services, _settings, fake_server_process
from benchmarks.common import percentile, print_table
from bot.application import build_application, start_application, stop_application
from bot.outbox_transport import build_outbox_sender
from knowledge_base.core.bootstrap import prepare_database
from knowledge_base.core.db import create_db_engine
from knowledge_base.core.settings import Settings
from tests.api_fixtures import STAFF, login, make_accounts
from tests.outbox_fixtures import QUESTION, question_with_askers
from tests.telegram.harness import text_message

ASKERS = 100
FIRST_ASKER = 20_000
FIRST_CITIZEN = 100_000
ANSWER = {"answer": "Surat suara sisa dimusnahkan dengan berita acara setelah rekapitulasi."}
OTHER_QUESTION = "jam berapa tps buka"


class LockedCounter(logging.Handler):
    """Counts 'database is locked' log lines from any logger."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "database is locked" in record.getMessage():
            self.count += 1


@contextlib.contextmanager
def fresh_database(kind: str, folder: Path, name: str) -> Iterator[str]:
    """A new, migrated and seeded database; yields its URL and drops it afterwards."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / f'{name}.db'}"
        _prepare(url)
        yield url
        return
    server = os.environ.get(
        "TANYAPEMILU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    database = f"tp_bench_{name}_{os.getpid()}"
    admin = create_db_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    url = make_url(server).set(database=database).render_as_string(hide_password=False)
    try:
        _prepare(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def _prepare(url: str) -> None:
    engine = create_db_engine(url)
    prepare_database(Settings(_env_file=None, database_url=url), engine)
    make_accounts(engine)
    question_with_askers(engine, ASKERS, first=FIRST_ASKER)
    engine.dispose()


def _idle_in_transaction(engine: Engine) -> int | str:
    if engine.dialect.name != "postgresql":
        return "-"
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%'"
            )
        ).scalar_one()


async def _phase(url: str, folder: Path, citizens: int, rate: float, answer: bool) -> list:
    locked = LockedCounter()
    logging.getLogger().addHandler(locked)
    with fake_server_process() as root:
        settings = _settings(url, f"{root}/bot", folder, broadcast_rate=30)
        services = _services(settings)
        app = build_application(services)
        await start_application(app)
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        sender = build_outbox_sender(settings, services.db)
        await sender.start()
        api_app = create_app(settings, services.db, wake_outbox=sender.wake)
        sent_at: dict[int, float] = {}
        answer_ms = answered_at = None
        async with (
            httpx.AsyncClient() as client,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=api_app), base_url="http://api"
            ) as api,
        ):
            headers = await login(api, *STAFF)
            for n in range(citizens):
                if answer and n == citizens // 4:
                    answered_at = time.monotonic()
                    response = await api.post("/questions/1/answer", json=ANSWER, headers=headers)
                    answer_ms = (time.monotonic() - answered_at) * 1000
                    assert response.status_code == 200, response.text
                chat_id = FIRST_CITIZEN + n
                question = QUESTION if n % 2 else OTHER_QUESTION
                sent_at[chat_id] = time.monotonic()
                update = {"message": text_message(chat_id, question)}
                await client.post(f"{root}/control/updates", json=[update])
                await asyncio.sleep(1 / rate)
            deadline = time.monotonic() + 120
            while True:
                calls = (await client.get(f"{root}/control/calls/sendMessage")).json()
                replied = {c["chat_id"] for c in calls if c["chat_id"] in sent_at}
                delivered = [c for c in calls if "berita acara" in (c["text"] or "")]
                askers_done = {c["chat_id"] for c in delivered} >= set(
                    range(FIRST_ASKER, FIRST_ASKER + ASKERS)
                )
                if len(replied) >= citizens and (askers_done or not answer):
                    break
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.1)
        await sender.stop()
        await stop_application(app)
        idle = _idle_in_transaction(services.db)
        services.db.dispose()
    logging.getLogger().removeHandler(locked)
    first_reply: dict[int, float] = {}
    for call in calls:
        if call["chat_id"] in sent_at:
            first_reply.setdefault(call["chat_id"], call["at"])
    latencies = [(at - sent_at[chat]) * 1000 for chat, at in first_reply.items()]
    to_askers = [c for c in delivered if FIRST_ASKER <= c["chat_id"] < FIRST_ASKER + ASKERS]
    all_delivered_s = (
        f"{max(c['at'] for c in to_askers) - answered_at:.1f}"
        if answer and len({c["chat_id"] for c in to_askers}) == ASKERS
        else "-"
    )
    return [
        "staff answer to 100 askers" if answer else "baseline: no staff answer",
        f"{len(latencies)}/{citizens}",
        f"{percentile(latencies, 0.5):.0f}",
        f"{percentile(latencies, 0.99):.0f}",
        f"{answer_ms:.0f}" if answer_ms is not None else "-",
        f"{len({c['chat_id'] for c in to_askers})}/{ASKERS}" if answer else "-",
        all_delivered_s,
        locked.count,
        idle,
    ]


async def run(kind: str, citizens: int, rate: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tp-answer-load-bench-"))
    rows = []
    try:
        for answer in (False, True):
            with fresh_database(kind, folder, f"answer_{answer}".lower()) as url:
                rows.append(await _phase(url, folder, citizens, rate, answer))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Staff answer under load: {citizens} citizens at {rate:.0f}/s, polling bot, {kind}")
    print_table(
        [
            "phase",
            "replied",
            "p50 ms",
            "p99 ms",
            "answer call ms",
            "askers served",
            "all served s",
            "db locked",
            "idle in tx",
        ],
        rows,
    )
    print(
        f"citizens' reply p99 with the staff answer: {float(rows[1][3]) / max(float(rows[0][3]), 1):.2f}x of baseline"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0)
    args = parser.parse_args()
    asyncio.run(run(args.database, args.citizens, args.rate))


if __name__ == "__main__":
    main()
