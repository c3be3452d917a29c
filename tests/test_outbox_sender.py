"""The outbox sender against the fake Bot API: retries, blocked chats, flood control, splitting,
waking up, and finishing what a crashed process left behind."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from knowledge_base.announcements.delivery import start_broadcast
from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.conversations.models import Chat
from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import session_scope
from knowledge_base.outbox.models import OutboxMessage, OutboxStatus
from knowledge_base.outbox.service import NewMessage, enqueue
from tests.outbox_fixtures import FAST, add_chats, outbox_rows, queue_message, sender, statuses
from tests.telegram.fake_server import FakeTelegram, Fault, running_fake_telegram


@pytest.fixture
def telegram() -> Iterator[tuple[FakeTelegram, str]]:
    with running_fake_telegram() as running:
        yield running


async def _drain(engine, telegram, policy=FAST) -> None:
    fake, base_url = telegram
    await sender(engine, fake.token, base_url, policy).drain()


async def test_a_transient_500_is_retried_and_the_citizen_gets_the_message(
    engine, telegram
) -> None:
    fake, _ = telegram
    [chat] = add_chats(engine, 1)
    queue_message(engine, chat, "Jawaban petugas.", key="answer:q1:chat1")
    fake.fail_chat(chat, Fault(500, "Internal Server Error", times=2))

    await _drain(engine, telegram)

    [row] = outbox_rows(engine)
    assert [c.status for c in fake.sent("sendMessage", chat_id=chat)] == [500, 500, 200]
    assert (row.status, row.attempts, row.telegram_message_id) == (OutboxStatus.SENT, 3, 1)


async def test_too_many_transient_errors_fail_the_row_with_the_error(engine, telegram) -> None:
    fake, _ = telegram
    [chat] = add_chats(engine, 1)
    queue_message(engine, chat, "Jawaban petugas.", key="k")
    fake.fail_chat(chat, Fault(502, "Bad Gateway", times=None))

    await _drain(engine, telegram)

    [row] = outbox_rows(engine)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, FAST.max_attempts)
    assert "Bad Gateway" in row.last_error


async def test_a_403_blocks_the_chat_once_with_one_log_line_and_no_traceback(
    engine, telegram, caplog: pytest.LogCaptureFixture
) -> None:
    fake, _ = telegram
    [chat] = add_chats(engine, 1)
    with session_scope(engine) as session:
        session.execute(update(Chat).values(subscribed=True))
    for key in ("answer:q1", "answer:q2", "dismissal:q3"):
        queue_message(engine, chat, "Pesan.", key=key)
    fake.fail_chat(chat, Fault(403, "Forbidden: bot was blocked by the user", times=None))
    caplog.set_level(logging.DEBUG)

    await _drain(engine, telegram, dataclasses.replace(FAST, workers=1))

    with Session(engine) as session:
        stored = session.exec(select(Chat)).one()
    ours = [r for r in caplog.records if r.name.startswith(("knowledge_base", "bot"))]
    assert len(fake.sent("sendMessage", chat_id=chat)) == 1  # the other two are not tried
    assert statuses(engine) == {OutboxStatus.BLOCKED: 3}
    assert (stored.blocked, stored.subscribed) == (True, False)
    assert [r.getMessage() for r in ours if "blocked" in r.getMessage()] == [
        f"chat {chat} refuses messages (Forbidden: bot was blocked by the user): "
        "marked blocked and unsubscribed"
    ]
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_429_stops_every_request_until_retry_after_has_passed(engine, telegram) -> None:
    fake, _ = telegram
    chats = add_chats(engine, 5)
    for chat in chats:
        queue_message(engine, chat, "Pengumuman.", key=f"a:{chat}")
    fake.fail_method("sendMessage", Fault(429, "Too Many Requests: retry after 1", retry_after=1))

    await _drain(engine, telegram, dataclasses.replace(FAST, workers=1))

    calls = fake.sent("sendMessage")
    limited = next(c for c in calls if c.status == 429)
    later = [c.at - limited.at for c in calls if c is not limited]
    assert statuses(engine) == {OutboxStatus.SENT: 5}
    assert len(later) == 5 and min(later) >= 1.0
    assert [r.attempts for r in outbox_rows(engine)] == [1] * 5  # flood control is no attempt


async def test_a_400_fails_at_once_without_stalling_the_others(engine, telegram) -> None:
    fake, _ = telegram
    chats = add_chats(engine, 3)
    for chat in chats:
        queue_message(engine, chat, "Pesan.", key=f"a:{chat}")
    fake.fail_chat(chats[0], Fault(400, "Bad Request: chat not found", times=None))

    await _drain(engine, telegram)

    first = outbox_rows(engine)[0]
    assert (first.status, first.attempts) == (OutboxStatus.FAILED, 1)
    assert first.last_error == "Chat not found"
    assert statuses(engine) == {OutboxStatus.FAILED: 1, OutboxStatus.SENT: 2}


async def test_a_message_longer_than_telegram_allows_arrives_in_parts(engine, telegram) -> None:
    fake, _ = telegram
    [chat] = add_chats(engine, 1)
    text = "\n".join(f"Baris {n} jawaban petugas yang panjang." for n in range(300))
    queue_message(engine, chat, text, key="long")

    await _drain(engine, telegram)

    parts = [c.params["text"] for c in fake.sent("sendMessage", chat_id=chat)]
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text
    assert statuses(engine) == {OutboxStatus.SENT: 1}


async def test_a_woken_sender_sends_at_once_instead_of_at_the_next_poll(engine, telegram) -> None:
    fake, base_url = telegram
    [chat] = add_chats(engine, 1)
    running = sender(engine, fake.token, base_url, dataclasses.replace(FAST, poll_seconds=30))
    await running.start()
    try:
        await asyncio.sleep(0.2)  # the first look found nothing; the next is 30 s away
        queue_message(engine, chat, "Jawaban.", key="k")
        started = time.monotonic()
        running.wake()
        while not fake.sent("sendMessage") and time.monotonic() - started < 5:
            await asyncio.sleep(0.01)
        waited = time.monotonic() - started
    finally:
        await running.stop()
    assert waited < 2
    assert statuses(engine) == {OutboxStatus.SENT: 1}


async def test_an_announcement_left_sending_by_a_crash_is_finished_on_restart(
    engine, telegram
) -> None:
    fake, base_url = telegram
    chats = add_chats(engine, 4)
    with session_scope(engine) as session:
        session.execute(update(Chat).values(subscribed=True))
        item = Announcement(title="Masa tenang", body="Mulai besok.")
        session.add(item)
        session.flush()
        announcement_id = item.id
        start_broadcast(session, announcement_id=announcement_id)
    with session_scope(engine) as session:  # as a dead process left them: one half sent
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id <= 2)
            .values(status=OutboxStatus.SENDING, claimed_at=utcnow())
        )
    policy = dataclasses.replace(FAST, lease_seconds=1.0)

    restarted = sender(engine, fake.token, base_url, policy)
    await restarted.start()
    for _ in range(100):
        with Session(engine) as session:
            if session.get(Announcement, announcement_id).status == AnnouncementStatus.SENT:
                break
        await asyncio.sleep(0.05)
    await restarted.stop()

    assert sorted(c.params["chat_id"] for c in fake.sent("sendMessage")) == chats
    assert statuses(engine) == {OutboxStatus.SENT: 4}
    with Session(engine) as session:
        assert session.get(Announcement, announcement_id).status == AnnouncementStatus.SENT


async def test_stopping_gives_unsent_rows_back_for_the_next_sender(engine, telegram) -> None:
    fake, base_url = telegram
    chats = add_chats(engine, 50)
    for chat in chats:
        queue_message(engine, chat, "Pesan.", key=f"a:{chat}")
    slow = dataclasses.replace(FAST, rate_per_second=20, workers=2)
    running = sender(engine, fake.token, base_url, slow)
    await running.start()
    await asyncio.sleep(0.5)

    await running.stop()

    counts = statuses(engine)
    assert 0 < counts[OutboxStatus.SENT] < 50
    assert counts[OutboxStatus.SENT] + counts[OutboxStatus.PENDING] == 50
    assert len(fake.sent("sendMessage")) == counts[OutboxStatus.SENT]


async def test_a_message_goes_out_with_its_inline_buttons(engine, telegram) -> None:
    fake, _ = telegram
    [chat] = add_chats(engine, 1)
    with session_scope(engine) as session:
        chat_row = session.exec(select(Chat).where(Chat.telegram_chat_id == chat)).one()
        enqueue(
            session,
            messages=[
                NewMessage(
                    key="card:q1",
                    purpose="staff_card",
                    chat_id=chat_row.id,
                    html="Pertanyaan baru",
                    buttons=[[["Ambil", "q:1:take"], ["Tolak", "q:1:dismiss"]]],
                )
            ],
        )

    await _drain(engine, telegram)

    [call] = fake.sent("sendMessage", chat_id=chat)
    keyboard = call.params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in keyboard] == [["Ambil", "Tolak"]]


async def test_an_edit_row_edits_the_message_its_original_row_sent(engine, telegram) -> None:
    fake, _ = telegram
    [chat] = add_chats(engine, 1)
    queue_message(engine, chat, "Ditanyakan 1 kali", key="card:q1")
    await _drain(engine, telegram)
    with session_scope(engine) as session:
        chat_row = session.exec(select(Chat).where(Chat.telegram_chat_id == chat)).one()
        enqueue(
            session,
            messages=[
                NewMessage(
                    key="card:q1:count2",
                    purpose="staff_card",
                    chat_id=chat_row.id,
                    html="Ditanyakan 2 kali",
                    edit_key="card:q1",
                )
            ],
        )

    await _drain(engine, telegram)

    [edit] = fake.sent("editMessageText", chat_id=chat)
    original = outbox_rows(engine)[0]
    assert edit.params["text"] == "Ditanyakan 2 kali"
    assert int(edit.params["message_id"]) == original.telegram_message_id
    assert statuses(engine) == {OutboxStatus.SENT: 2}


async def test_an_edit_waits_until_its_original_is_sent(engine, telegram) -> None:
    fake, _ = telegram
    [chat] = add_chats(engine, 1)
    with session_scope(engine) as session:
        chat_row = session.exec(select(Chat).where(Chat.telegram_chat_id == chat)).one()
        enqueue(
            session,
            messages=[
                NewMessage(
                    key="card:q1:count2",
                    purpose="staff_card",
                    chat_id=chat_row.id,
                    html="Ditanyakan 2 kali",
                    edit_key="card:q1",
                )
            ],
        )

    await _drain(engine, telegram)

    [row] = outbox_rows(engine)
    assert fake.sent("editMessageText") == []
    assert row.status == OutboxStatus.FAILED
    assert "not sent yet" in row.last_error
