"""The staff group in webhook mode, with two bot instances (each with its own outbox sender)
sharing one database, as two processes behind one webhook address would: each card and each
answer goes out once."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import pytest_asyncio
from sqlalchemy.engine import Engine

from bot.application import build_application, start_application, stop_application
from bot.flood import FloodGuard
from bot.outbox_transport import build_outbox_sender
from bot.services import BotServices
from knowledge_base.core.db import session_scope
from knowledge_base.core.settings import Settings
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole
from tanyapemilu.web import compose_app
from tests.telegram.fake_server import BOT_ID, FakeTelegram, running_fake_telegram
from tests.telegram.harness import chat, text_message, user

SECRET = "s3cret-token"
STAFF_GROUP = -100600
STAFF_TELEGRAM = 7101
UNKNOWN = "bagaimana nasib logistik pemilu yang tersisa setelah pemilihan selesai"
ANSWER = "Logistik sisa disimpan di gudang KPU lalu dimusnahkan dengan berita acara."
_ids = itertools.count(950_000)


def _prepare(engine: Engine) -> None:
    """One staff member with a linked Telegram account (the shared engine answers)."""
    with session_scope(engine) as session:
        staff = create_staff(
            session, username="ppid1", password="kata-sandi-1", role=StaffRole.STAFF
        )
        staff.telegram_user_id = STAFF_TELEGRAM


@pytest_asyncio.fixture
async def two_instances(
    database_url: str, engine: Engine, tmp_path, shared_engine
) -> AsyncIterator[tuple[list[httpx.AsyncClient], FakeTelegram]]:
    _prepare(engine)
    with running_fake_telegram() as (fake, base_url):
        settings = Settings(
            _env_file=None,
            database_url=database_url,
            telegram_token=fake.token,
            telegram_base_url=base_url,
            webhook_url="https://bot.example.org",
            webhook_secret=SECRET,
            staff_chat_id=STAFF_GROUP,
            cache_dir=tmp_path,
        )
        async with AsyncExitStack() as stack:
            clients = []
            for _ in range(2):
                services = BotServices(
                    settings=settings, db=engine, engine=shared_engine, flood=FloodGuard(50, 10.0)
                )
                bot_app = build_application(services, with_updater=False)
                await start_application(bot_app)
                stack.push_async_callback(stop_application, bot_app)
                sender = build_outbox_sender(settings, engine)
                await sender.start()
                stack.push_async_callback(sender.stop)
                api = compose_app(settings, engine, bot_app=bot_app, wake_outbox=sender.wake)
                client = httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=api), base_url="http://api"
                )
                stack.push_async_callback(client.aclose)
                clients.append(client)
            yield clients, fake


async def _post(client: httpx.AsyncClient, fake: FakeTelegram, update: dict) -> None:
    response = await client.post(
        "/telegram/webhook",
        json=fake.make_update(update),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 200


async def _until(condition, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def _staff_reply(card, text: str) -> dict:
    return {
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": chat(STAFF_GROUP, "supergroup"),
            "from": user(STAFF_TELEGRAM, "Petugas"),
            "text": text,
            "reply_to_message": {
                "message_id": card.message_id,
                "date": int(time.time()),
                "chat": chat(STAFF_GROUP, "supergroup"),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "TanyaPemilu"},
                "text": card.params["text"],
            },
        }
    }


async def test_each_card_and_each_answer_goes_out_once_across_two_instances(
    two_instances,
) -> None:
    (first, second), fake = two_instances
    await asyncio.gather(
        _post(first, fake, {"message": text_message(5201, UNKNOWN)}),
        _post(second, fake, {"message": text_message(5202, UNKNOWN)}),
    )
    card = (await _until(lambda: fake.sent("sendMessage", chat_id=STAFF_GROUP)))[0]
    await _until(
        lambda: [c for c in fake.sent("editMessageText") if "oleh 2 warga" in c.params["text"]]
    )

    await _post(second, fake, _staff_reply(card, ANSWER))

    for asker in (5201, 5202):
        await _until(
            lambda a=asker: [
                c for c in fake.sent("sendMessage", chat_id=a) if "berita acara" in c.params["text"]
            ]
        )
    await asyncio.sleep(1.5)  # both senders have polled again: nothing more goes out
    cards = [c for c in fake.sent("sendMessage", chat_id=STAFF_GROUP) if "#" in c.params["text"]]
    answers = {
        asker: [
            c for c in fake.sent("sendMessage", chat_id=asker) if "berita acara" in c.params["text"]
        ]
        for asker in (5201, 5202)
    }
    assert len(cards) == 1
    assert {asker: len(sent) for asker, sent in answers.items()} == {5201: 1, 5202: 1}
