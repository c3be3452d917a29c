"""Staff answers go through the outbox: the API returns at once, every asker gets the answer
exactly once, and a sender killed mid-delivery resumes without resending what was sent."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlmodel import Session, select

from admin_api.app import create_app
from bot.outbox_transport import build_outbox_sender
from knowledge_base.conversations.models import Chat
from knowledge_base.core.settings import Settings
from knowledge_base.outbox.models import OutboxMessage, OutboxStatus
from tests.api_fixtures import STAFF, login, make_accounts
from tests.outbox_fixtures import question_with_askers, statuses
from tests.telegram.fake_server import running_fake_telegram

ASKERS = 500
WORKERS = 8  # OutboxPolicy default: the most messages that can be in flight at a kill
ROOT = Path(__file__).resolve().parent.parent
ANSWER = {"answer": "Surat suara sisa dimusnahkan dengan berita acara setelah rekapitulasi."}


def _rows_per_chat(engine) -> Counter:
    with Session(engine) as session:
        return Counter(
            session.exec(
                select(Chat.telegram_chat_id)
                .join(OutboxMessage, OutboxMessage.chat_id == Chat.id)
                .where(OutboxMessage.status == OutboxStatus.SENT)
            ).all()
        )


async def _answer(api: httpx.AsyncClient, question_id: int) -> tuple[httpx.Response, float]:
    headers = await login(api, *STAFF)
    started = time.perf_counter()
    response = await api.post(f"/questions/{question_id}/answer", json=ANSWER, headers=headers)
    return response, time.perf_counter() - started


async def test_an_answer_to_500_askers_returns_before_delivery_and_reaches_each_once(
    database_url, engine
) -> None:
    make_accounts(engine)
    question_id = question_with_askers(engine, ASKERS)
    with running_fake_telegram() as (fake, base_url):
        settings = Settings(
            _env_file=None,
            database_url=database_url,
            telegram_token=fake.token,
            telegram_base_url=base_url,
            broadcast_rate=250,
        )
        sender = build_outbox_sender(settings, engine)
        await sender.start()
        app = create_app(settings, engine)
        app.state.wake_outbox = sender.wake
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://api"
        ) as api:
            response, latency = await _answer(api, question_id)
        waiting_after_return = statuses(engine)[OutboxStatus.PENDING]
        started = time.perf_counter()
        while statuses(engine)[OutboxStatus.SENT] < ASKERS and time.perf_counter() - started < 30:
            await asyncio.sleep(0.05)
        delivery_seconds = time.perf_counter() - started
        await sender.stop()
        received = Counter(c.params["chat_id"] for c in fake.sent("sendMessage"))

    print(
        f"\nanswer to {ASKERS} askers: API {latency * 1000:.0f} ms; "
        f"delivered in {delivery_seconds:.2f} s ({ASKERS / delivery_seconds:.0f}/s)"
    )
    assert response.status_code == 200
    assert response.json()["delivery"]["sent"] < ASKERS
    assert waiting_after_return > 0  # the call returned while messages were still queued
    assert statuses(engine) == {OutboxStatus.SENT: ASKERS}
    assert set(received.values()) == {1} and len(received) == ASKERS
    assert set(_rows_per_chat(engine).values()) == {1}


def _sender_process(url: str, base_url: str, token: str, cwd: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
    env.update(
        PYTHONPATH=str(ROOT),
        TANYAPEMILU_DATABASE_URL=url,
        TANYAPEMILU_TELEGRAM_TOKEN=token,
        TANYAPEMILU_TELEGRAM_BASE_URL=base_url,
        TANYAPEMILU_BROADCAST_RATE="250",
        TANYAPEMILU_OUTBOX_LEASE_SECONDS="2",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "tests.outbox_process"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_a_sender_killed_mid_answer_resumes_and_reaches_every_asker_once(
    database_url, engine, tmp_path: Path
) -> None:
    make_accounts(engine)
    question_id = question_with_askers(engine, ASKERS)
    settings = Settings(_env_file=None, database_url=database_url)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings, engine)), base_url="http://api"
    ) as api:
        response, _latency = await _answer(api, question_id)
    assert response.status_code == 200
    with running_fake_telegram() as (fake, base_url):
        first = _sender_process(database_url, base_url, fake.token, tmp_path)
        deadline = time.monotonic() + 60
        while len(fake.sent("sendMessage")) < ASKERS // 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        received_before_kill = len(fake.sent("sendMessage"))
        left_sending = statuses(engine)[OutboxStatus.SENDING]

        second = _sender_process(database_url, base_url, fake.token, tmp_path)
        _out, err = await asyncio.to_thread(second.communicate, timeout=120)
        received = Counter(c.params["chat_id"] for c in fake.sent("sendMessage"))

    duplicates = sum(count - 1 for count in received.values())
    print(
        f"\nkilled after {received_before_kill} of {ASKERS} messages "
        f"({left_sending} rows left sending); duplicates: {duplicates}"
    )
    assert second.returncode == 0, err
    assert 0 < received_before_kill < ASKERS
    assert statuses(engine) == {OutboxStatus.SENT: ASKERS}
    assert set(_rows_per_chat(engine).values()) == {1}
    assert len(received) == ASKERS
    assert duplicates <= WORKERS
