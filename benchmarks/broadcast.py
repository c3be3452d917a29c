"""Announcement delivery to 10,000 subscribers at a configured rate.

Run: ``.venv/bin/python -m benchmarks.broadcast``. The fake Bot API runs in its own process.
Reports the time to create the outbox rows, the achieved rate against the configured one
(the ratio is the figure: target >= 0.95), lost messages and duplicates.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import insert
from sqlmodel import Session
from telegram import Bot

from benchmarks.bot_throughput import TOKEN, fake_server_process
from benchmarks.common import print_table
from bot.broadcaster import Broadcaster, BroadcastPolicy
from knowledge_base.announcements.delivery import delivery_report, start_broadcast
from knowledge_base.announcements.models import Announcement
from knowledge_base.conversations.models import Chat
from knowledge_base.core import migrations
from knowledge_base.core.db import create_db_engine, session_scope


def _database(folder: Path, subscribers: int) -> tuple[str, int]:
    url = f"sqlite:///{folder / 'broadcast.db'}"
    migrations.upgrade(url)
    engine = create_db_engine(url)
    with session_scope(engine) as session:
        session.execute(
            insert(Chat),
            [
                {"telegram_chat_id": 1_000_000 + n, "subscribed": True, "subscription_areas": []}
                for n in range(subscribers)
            ],
        )
        item = Announcement(title="Pengumuman", body="Masa tenang dimulai <b>besok</b>.")
        session.add(item)
        session.flush()
        announcement_id = item.id
    engine.dispose()
    return url, announcement_id


async def run(subscribers: int, rate: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tp-broadcast-"))
    url, announcement_id = _database(folder, subscribers)
    engine = create_db_engine(url)
    started = time.perf_counter()
    with session_scope(engine) as session:
        start_broadcast(session, announcement_id=announcement_id)
    rows_seconds = time.perf_counter() - started
    with Session(engine) as session:
        created = sum(delivery_report(session, announcement_id).values())
    with fake_server_process() as root:
        async with Bot(TOKEN, base_url=f"{root}/bot") as bot:
            policy = BroadcastPolicy(rate_per_second=rate, per_chat_interval=0, workers=16)
            started = time.perf_counter()
            await Broadcaster(engine, bot, policy).send(announcement_id)
            elapsed = time.perf_counter() - started
        async with httpx.AsyncClient() as client:
            calls = (await client.get(f"{root}/control/calls/sendMessage")).json()
    with Session(engine) as session:
        report = delivery_report(session, announcement_id)
    engine.dispose()
    per_chat = Counter(call["chat_id"] for call in calls)
    achieved = report["sent"] / elapsed
    print(f"Broadcast to {subscribers} subscribers, configured rate {rate:.0f}/s, SQLite")
    print_table(
        ["metric", "value"],
        [
            ["outbox rows created", created],
            ["time to create rows (s)", f"{rows_seconds:.2f}"],
            [
                "sent / failed / blocked / pending",
                "{sent} / {failed} / {blocked} / {pending}".format(**report),
            ],
            ["lost (never delivered)", subscribers - len(per_chat)],
            ["duplicates", sum(n - 1 for n in per_chat.values())],
            ["send time (s)", f"{elapsed:.1f}"],
            ["achieved rate (/s)", f"{achieved:.0f}"],
            ["achieved / configured", f"{achieved / rate:.2f}"],
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=500.0)
    args = parser.parse_args()
    asyncio.run(run(args.subscribers, args.rate))


if __name__ == "__main__":
    main()
