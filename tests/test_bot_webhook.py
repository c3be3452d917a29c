"""Webhook mode: the FastAPI route checks the secret, queues updates and the bot replies."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio

from bot.application import build_application, start_application, stop_application
from bot.flood import FloodGuard
from bot.services import BotServices
from knowledge_base.core.db import create_db_engine
from tanyapemilu.web import compose_app
from tests.bot_fixtures import bot_settings, citizen
from tests.telegram.fake_server import FakeTelegram
from tests.telegram.harness import text_message

SECRET = "s3cret-token"


@pytest_asyncio.fixture
async def webhook(
    tmp_path: Path, seeded_template: Path, shared_engine, fake_telegram
) -> AsyncIterator[tuple[httpx.AsyncClient, FakeTelegram]]:
    fake, base_url = fake_telegram
    shutil.copyfile(seeded_template, tmp_path / "bot.db")
    settings = bot_settings(
        tmp_path, base_url, webhook_url="https://bot.example.org", webhook_secret=SECRET
    )
    db = create_db_engine(settings.database_url)
    services = BotServices(
        settings=settings, db=db, engine=shared_engine, flood=FloodGuard(8, 10.0)
    )
    bot_app = build_application(services, with_updater=False)
    await start_application(bot_app)
    api = compose_app(settings, db, bot_app=bot_app)
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        yield client, fake
    await stop_application(bot_app)
    db.dispose()


def _update(fake: FakeTelegram, chat_id: int, text: str) -> dict:
    return fake.make_update({"message": text_message(chat_id, text)})


async def test_an_update_with_the_secret_is_accepted_and_answered(webhook) -> None:
    client, fake = webhook

    response = await client.post(
        "/telegram/webhook",
        json=_update(fake, 9001, "gmn cara cek dpt online"),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )

    assert response.status_code == 200
    reply = (await citizen(fake, 9001).expect(1, method="sendMessage"))[0]
    assert "cekdptonline" in reply.params["text"]


async def test_an_update_without_the_secret_is_rejected_with_403(webhook) -> None:
    client, fake = webhook

    response = await client.post("/telegram/webhook", json=_update(fake, 9002, "halo"))

    assert response.status_code == 403
    await citizen(fake, 9002).quiet(0.4)


async def test_a_wrong_secret_is_rejected_with_403(webhook) -> None:
    client, fake = webhook

    response = await client.post(
        "/telegram/webhook",
        json=_update(fake, 9003, "halo"),
        headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
    )

    assert response.status_code == 403


async def test_a_malformed_payload_is_rejected_with_400(webhook) -> None:
    client, _fake = webhook

    response = await client.post(
        "/telegram/webhook",
        content=b"{not json",
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert "tidak valid" in response.json()["error"]["message"]


async def test_an_update_delivered_twice_is_answered_once(webhook) -> None:
    client, fake = webhook
    update = _update(fake, 9004, "gmn cara cek dpt online")
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    first = await client.post("/telegram/webhook", json=update, headers=headers)
    second = await client.post("/telegram/webhook", json=update, headers=headers)

    assert (first.status_code, second.status_code) == (200, 200)
    asker = citizen(fake, 9004)
    await asker.expect(1, method="sendMessage")
    await asker.quiet(0.5)
    assert len(fake.sent("sendMessage", chat_id=9004)) == 1


async def test_webhook_errors_use_the_one_error_shape(webhook) -> None:
    client, fake = webhook

    response = await client.post("/telegram/webhook", json=_update(fake, 9005, "halo"))

    assert response.json() == {
        "error": {"code": 403, "message": "Token rahasia webhook tidak valid.", "fields": {}}
    }
