"""The load scenario that once locked the database: 100 citizens asked the same question,
citizens keep writing (some asking that very question), and staff answer it. Every asker
gets the answer, every citizen still gets a reply, and no transaction is left hanging."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from admin_api.app import create_app
from bot.application import build_application
from bot.outbox_transport import build_outbox_sender
from bot.services import BotServices
from tests.api_fixtures import STAFF, login, make_accounts
from tests.bot_fixtures import bot_settings
from tests.outbox_fixtures import QUESTION, question_with_askers
from tests.telegram.fake_server import running_fake_telegram
from tests.telegram.harness import start_polling, stop_polling, text_message

ASKERS = 100
FIRST_ASKER = 20_000
TRAFFIC_CHATS = range(30_000, 30_040)  # 40 citizens writing one message every 0.1 s in all
ANSWER = {"answer": "Surat suara sisa dimusnahkan dengan berita acara setelah rekapitulasi."}


async def _steady_traffic(fake, stop: asyncio.Event) -> list[int]:
    """Citizens writing while staff answer; half of them ask the question being answered."""
    chats: list[int] = []
    for n, chat_id in enumerate(TRAFFIC_CHATS):
        if stop.is_set():
            break
        question = QUESTION if n % 2 else "jam berapa tps buka"
        fake.push_update({"message": text_message(chat_id, question)})
        chats.append(chat_id)
        await asyncio.sleep(0.1)
    return chats


async def _until(condition, timeout: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def _idle_in_transaction(engine: Engine) -> int:
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%'"
            )
        ).scalar_one()


async def test_staff_answer_under_traffic_reaches_everyone_and_blocks_no_one(
    database_url: str,
    engine: Engine,
    shared_engine,
    tmp_path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_accounts(engine)
    question_id = question_with_askers(engine, ASKERS, first=FIRST_ASKER)
    askers = set(range(FIRST_ASKER, FIRST_ASKER + ASKERS))
    with running_fake_telegram() as (fake, base_url):
        settings = bot_settings(tmp_path, base_url, broadcast_rate=250).model_copy(
            update={"database_url": database_url}
        )
        bot = build_application(BotServices(settings=settings, db=engine, engine=shared_engine))
        await start_polling(bot)
        sender = build_outbox_sender(settings, engine)
        await sender.start()
        app = create_app(settings, engine, wake_outbox=sender.wake)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as api:
            headers = await login(api, *STAFF)
            stop = asyncio.Event()
            traffic = asyncio.create_task(_steady_traffic(fake, stop))
            await asyncio.sleep(1.0)  # traffic is flowing
            answered = await api.post(
                f"/questions/{question_id}/answer", json=ANSWER, headers=headers
            )
            writers = await traffic

            def delivered() -> Counter:
                calls = fake.sent("sendMessage")
                return Counter(
                    c.params["chat_id"] for c in calls if "berita acara" in c.params["text"]
                )

            def replied() -> set[int]:
                return {c.params["chat_id"] for c in fake.sent("sendMessage")}

            await _until(lambda: askers <= set(delivered()))
            await _until(lambda: set(writers) <= replied())
        await sender.stop()
        await stop_polling(bot)

    assert answered.status_code == 200
    assert all(delivered()[chat] == 1 for chat in askers)
    assert not [r for r in caplog.records if "database is locked" in r.getMessage()]
    assert _idle_in_transaction(engine) == 0
