"""Announcements reach every subscriber once, whatever Telegram answers along the way."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from telegram import Bot

from bot.broadcaster import Broadcaster, BroadcastPolicy
from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.conversations.models import Chat
from knowledge_base.core.db import session_scope
from knowledge_base.outbox.models import OutboxMessage
from tests.telegram.fake_server import FakeTelegram, Fault, running_fake_telegram

FAST = BroadcastPolicy(
    rate_per_second=500, per_chat_interval=0, backoff_seconds=0.05, max_attempts=3
)


def subscribers(engine: Engine, count: int, areas: list[str] | None = None) -> list[int]:
    with session_scope(engine) as session:
        for number in range(count):
            session.add(
                Chat(
                    telegram_chat_id=10_000 + number,
                    subscribed=True,
                    subscription_areas=areas or [],
                )
            )
    return [10_000 + number for number in range(count)]


def announcement(engine: Engine, areas: list[str] | None = None) -> int:
    with session_scope(engine) as session:
        item = Announcement(
            title="Pengumuman", body="Coklit dimulai <b>besok</b>.", audience_areas=areas or []
        )
        session.add(item)
        session.flush()
        return item.id


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def report(**counts: int) -> dict[str, int]:
    return {
        "pending": 0,
        "sending": 0,
        "sent": 0,
        "failed": 0,
        "blocked": 0,
        "cancelled": 0,
        **counts,
    }


@pytest_asyncio.fixture
async def telegram() -> AsyncIterator[tuple[FakeTelegram, Bot]]:
    with running_fake_telegram() as (fake, base_url):
        bot = Bot(fake.token, base_url=base_url)
        async with bot:
            yield fake, bot


async def test_every_subscriber_gets_the_announcement_exactly_once(engine, telegram) -> None:
    fake, bot = telegram
    chats = subscribers(engine, 30)
    announcement_id = announcement(engine)

    delivered = await Broadcaster(engine, bot, FAST).send(announcement_id)

    assert delivered == report(sent=30)
    assert sorted(c.params["chat_id"] for c in fake.sent("sendMessage")) == chats
    with Session(engine) as session:
        assert session.get(Announcement, announcement_id).status == AnnouncementStatus.SENT


async def test_sending_again_never_resends_a_sent_row(engine, telegram) -> None:
    fake, bot = telegram
    subscribers(engine, 5)
    announcement_id = announcement(engine)
    await Broadcaster(engine, bot, FAST).send(announcement_id)

    await Broadcaster(engine, bot, FAST).send(announcement_id)

    assert len(fake.sent("sendMessage")) == 5


async def test_only_subscribers_of_the_chosen_kecamatan_receive_it(engine, telegram) -> None:
    fake, bot = telegram
    subscribers(engine, 2, areas=["Talawi"])
    with session_scope(engine) as session:
        session.add(Chat(telegram_chat_id=555, subscribed=True, subscription_areas=["Barangin"]))
    announcement_id = announcement(engine, areas=["Talawi"])

    await Broadcaster(engine, bot, FAST).send(announcement_id)

    assert 555 not in {c.params["chat_id"] for c in fake.sent("sendMessage")}
    assert len(fake.sent("sendMessage")) == 2


async def test_a_429_pauses_sending_until_retry_after_has_passed(engine, telegram) -> None:
    fake, bot = telegram
    subscribers(engine, 40)
    announcement_id = announcement(engine)
    fake.fail_method("sendMessage", Fault(429, "Too Many Requests: retry after 1", retry_after=1))

    delivered = await Broadcaster(engine, bot, FAST).send(announcement_id)

    calls = fake.sent("sendMessage")
    limited = next(c for c in calls if c.status == 429)
    gaps = [c.at - limited.at for c in calls if c.at > limited.at]
    # Only requests already on the wire when the 429 came back (at most one per other worker)
    # may land before retry_after has passed; everything else waits. At 500/s, 40 messages
    # would otherwise all be sent within 0.1 s.
    early = [gap for gap in gaps if gap < 0.95]
    assert delivered["sent"] == 40
    assert len(early) < FAST.workers
    assert any(gap >= 0.95 for gap in gaps)


async def test_a_blocked_bot_marks_the_row_blocked_and_unsubscribes(engine, telegram) -> None:
    fake, bot = telegram
    chats = subscribers(engine, 3)
    fake.fail_chat(chats[1], Fault(403, "Forbidden: bot was blocked by the user", times=None))

    delivered = await Broadcaster(engine, bot, FAST).send(announcement(engine))

    with Session(engine) as session:
        blocked = session.exec(select(Chat).where(Chat.telegram_chat_id == chats[1])).one()
    assert delivered == report(sent=2, blocked=1)
    assert not blocked.subscribed
    assert blocked.blocked


async def test_server_errors_are_retried(engine, telegram) -> None:
    fake, bot = telegram
    chats = subscribers(engine, 2)
    fake.fail_chat(chats[0], Fault(500, "Internal Server Error", times=2))

    delivered = await Broadcaster(engine, bot, FAST).send(announcement(engine))

    assert delivered["sent"] == 2
    assert [r.attempts for r in rows(engine)] == [3, 1]


async def test_a_permanently_failing_chat_fails_without_stalling_the_rest(engine, telegram) -> None:
    fake, bot = telegram
    chats = subscribers(engine, 10)
    fake.fail_chat(chats[0], Fault(500, "Internal Server Error", times=None))

    delivered = await Broadcaster(engine, bot, FAST).send(announcement(engine))

    failed = rows(engine)[0]
    assert delivered == report(sent=9, failed=1)
    assert failed.attempts == FAST.max_attempts
    assert "Internal Server Error" in failed.last_error
