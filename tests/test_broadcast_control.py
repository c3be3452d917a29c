"""Staff stop a broadcast that is going out, and resume one that stopped or partly failed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.announcements import workflow
from knowledge_base.announcements.delivery import (
    resume_broadcast,
    start_broadcast,
    stop_broadcast,
)
from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.conversations.models import Chat
from knowledge_base.core.db import session_scope
from knowledge_base.outbox.models import OutboxMessage, OutboxStatus
from tests.outbox_fixtures import add_chats, sender, statuses
from tests.telegram.fake_server import FakeTelegram, Fault, running_fake_telegram


@pytest.fixture
def telegram() -> Iterator[tuple[FakeTelegram, str]]:
    with running_fake_telegram() as running:
        yield running


def sending_announcement(engine: Engine, subscribers: int) -> int:
    """An announcement to ``subscribers`` chats whose rows are queued, none sent yet."""
    add_chats(engine, subscribers)
    with session_scope(engine) as session:
        session.execute(update(Chat).values(subscribed=True))
        item = Announcement(title="Pengumuman", body="Coklit dimulai <b>besok</b>.")
        session.add(item)
        session.flush()
        start_broadcast(session, announcement_id=item.id)
        return item.id


def mark_first_sent(engine: Engine, count: int) -> None:
    """The first ``count`` rows went out before staff acted."""
    with session_scope(engine) as session:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id <= count).values(status=OutboxStatus.SENT)
        )


def act(engine: Engine, announcement_id: int, action) -> int:
    with session_scope(engine) as session:
        return action(session, session.get(Announcement, announcement_id))


def status_of(engine: Engine, announcement_id: int) -> str:
    with Session(engine) as session:
        return session.get(Announcement, announcement_id).status


def test_stopping_a_broadcast_cancels_every_message_not_yet_sent(engine) -> None:
    announcement_id = sending_announcement(engine, 10)
    mark_first_sent(engine, 4)

    stopped = act(engine, announcement_id, stop_broadcast)

    assert stopped == 6
    assert statuses(engine) == {OutboxStatus.SENT: 4, OutboxStatus.CANCELLED: 6}
    assert status_of(engine, announcement_id) == AnnouncementStatus.CANCELLED


async def test_a_stopped_broadcast_sends_nothing_more(engine, telegram) -> None:
    fake, base_url = telegram
    announcement_id = sending_announcement(engine, 5)
    act(engine, announcement_id, stop_broadcast)

    await sender(engine, fake.token, base_url).drain()

    assert fake.sent("sendMessage") == []


async def test_resuming_a_stopped_broadcast_delivers_the_rest_exactly_once(
    engine, telegram
) -> None:
    fake, base_url = telegram
    announcement_id = sending_announcement(engine, 10)
    mark_first_sent(engine, 4)
    act(engine, announcement_id, stop_broadcast)

    reopened = act(engine, announcement_id, resume_broadcast)
    await sender(engine, fake.token, base_url).drain()

    assert reopened == 6
    assert len(fake.sent("sendMessage")) == 6
    assert statuses(engine) == {OutboxStatus.SENT: 10}
    assert status_of(engine, announcement_id) == AnnouncementStatus.SENT


async def test_resuming_retries_messages_that_failed(engine, telegram) -> None:
    fake, base_url = telegram
    announcement_id = sending_announcement(engine, 3)
    fake.fail_chat(20_000, Fault(500, "Internal Server Error", times=3))
    await sender(engine, fake.token, base_url).drain()
    assert statuses(engine)[OutboxStatus.FAILED] == 1

    reopened = act(engine, announcement_id, resume_broadcast)
    await sender(engine, fake.token, base_url).drain()

    assert reopened == 1
    assert statuses(engine) == {OutboxStatus.SENT: 3}
    assert status_of(engine, announcement_id) == AnnouncementStatus.SENT


def test_an_announcement_that_never_started_sending_cannot_be_resumed(engine) -> None:
    with session_scope(engine) as session:
        item = Announcement(title="Pengumuman", body="Isi.", status=AnnouncementStatus.CANCELLED)
        session.add(item)
        session.flush()
        announcement_id = item.id

    with pytest.raises(workflow.WorkflowError):
        act(engine, announcement_id, resume_broadcast)


def test_a_sent_announcement_cannot_be_cancelled(engine) -> None:
    with session_scope(engine) as session:
        item = Announcement(title="Pengumuman", body="Isi.", status=AnnouncementStatus.SENT)
        session.add(item)
        session.flush()
        announcement_id = item.id

    with pytest.raises(workflow.WorkflowError):
        act(engine, announcement_id, stop_broadcast)
