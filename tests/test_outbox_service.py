"""The outbox's storage rules on SQLite and PostgreSQL: idempotent enqueue, atomic claims,
leases, reports, erasure."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from knowledge_base.conversations.models import Chat
from knowledge_base.conversations.service import erase_chat
from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import create_db_engine, session_scope
from knowledge_base.outbox import service
from knowledge_base.outbox.models import OutboxMessage, OutboxStatus
from knowledge_base.outbox.service import NewMessage, OutboxRef
from tests.outbox_fixtures import add_chats, outbox_rows, statuses


def _messages(engine, count: int, ref_id: int = 1) -> list[NewMessage]:
    """Answers to ``count`` new chats (Telegram ids from 30,000 + 1,000 x ``ref_id``)."""
    telegram_ids = add_chats(engine, count, first=30_000 + ref_id * 1_000)
    with Session(engine) as session:
        chats = session.exec(
            select(Chat.id).where(col(Chat.telegram_chat_id).in_(telegram_ids)).order_by(Chat.id)
        ).all()
    return [
        NewMessage(
            key=f"answer:q{ref_id}:chat{chat}",
            purpose="answer",
            chat_id=chat,
            html="Jawaban.",
            ref_type="question",
            ref_id=ref_id,
        )
        for chat in chats
    ]


def test_enqueueing_the_same_key_twice_keeps_one_row(engine) -> None:
    messages = _messages(engine, 3)
    with session_scope(engine) as session:
        first = service.enqueue(session, messages=messages)
    with session_scope(engine) as session:
        again = service.enqueue(session, messages=[*messages, *messages])

    assert (first, again) == (3, 0)
    assert len(outbox_rows(engine)) == 3


def test_a_claim_takes_due_rows_once_and_leaves_future_ones(engine) -> None:
    with session_scope(engine) as session:
        service.enqueue(session, messages=_messages(engine, 3))
    [later, *_] = outbox_rows(engine)
    with session_scope(engine) as session:
        service.retry_later(
            session, message_id=later.id, at=utcnow() + timedelta(hours=1), error="500"
        )

    with session_scope(engine) as session:
        claimed = service.claim_due(session, limit=10)
    with session_scope(engine) as session:
        again = service.claim_due(session, limit=10)

    assert len(claimed) == 2 and later.id not in {m.id for m in claimed}
    assert again == []
    assert statuses(engine) == {OutboxStatus.SENDING: 2, OutboxStatus.PENDING: 1}


def test_a_claim_never_takes_more_than_its_limit(engine) -> None:
    with session_scope(engine) as session:
        service.enqueue(session, messages=_messages(engine, 50))

    with session_scope(engine) as session:
        claimed = service.claim_due(session, limit=7)

    assert len(claimed) == 7
    assert statuses(engine) == {OutboxStatus.SENDING: 7, OutboxStatus.PENDING: 43}


@pytest.mark.parametrize("backend", ["postgresql"])
def test_two_concurrent_claimers_never_get_the_same_row(database_url, engine) -> None:
    with session_scope(engine) as session:
        service.enqueue(session, messages=_messages(engine, 600))
    engines = [create_db_engine(database_url) for _ in range(2)]
    claims: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def claimer(number: int) -> None:
        start.wait()
        while True:
            with session_scope(engines[number]) as session:
                batch = service.claim_due(session, limit=5)
            if not batch:
                return
            claims[number].extend(m.id for m in batch)

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for other in engines:
        other.dispose()

    assert all(claims), "both claimers got rows"
    assert not set(claims[0]) & set(claims[1])
    assert sorted(claims[0] + claims[1]) == sorted(r.id for r in outbox_rows(engine))


def test_rows_of_a_dead_sender_are_requeued_after_the_lease_and_live_ones_are_not(
    engine,
) -> None:
    with session_scope(engine) as session:
        service.enqueue(session, messages=_messages(engine, 2))
    with session_scope(engine) as session:
        dead, alive = service.claim_due(session, limit=2)
    with session_scope(engine) as session:  # the dead sender stopped renewing a minute ago
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == dead.id)
            .values(claimed_at=utcnow() - timedelta(minutes=1))
        )

    with session_scope(engine) as session:
        kept = service.renew_claims(session, message_ids=[alive.id])
        requeued = service.requeue_stale(session, older_than=utcnow() - timedelta(seconds=15))
    with session_scope(engine) as session:
        lost = service.renew_claims(session, message_ids=[dead.id])

    assert (kept, requeued, lost) == ({alive.id}, 1, set())
    assert [r.status for r in outbox_rows(engine)] == [OutboxStatus.PENDING, OutboxStatus.SENDING]


def test_the_report_counts_a_reference_by_status(engine) -> None:
    asked, other = _messages(engine, 3, ref_id=1), _messages(engine, 2, ref_id=2)
    with session_scope(engine) as session:
        service.enqueue(session, messages=asked)
        service.enqueue(session, messages=other)
    with session_scope(engine) as session:
        first = service.claim_due(session, limit=1, ref=OutboxRef("question", 1))[0]
        service.mark_sent(session, message_id=first.id, telegram_message_id=9)

    with Session(engine) as session:
        report = service.delivery_report(session, ref=OutboxRef("question", 1))
        settled = service.is_settled(session, ref=OutboxRef("question", 1))

    assert report == {
        "pending": 2,
        "sending": 0,
        "sent": 1,
        "failed": 0,
        "blocked": 0,
        "cancelled": 0,
    }
    assert not settled


def test_erasing_a_citizen_drops_the_messages_queued_for_them(engine) -> None:
    messages = _messages(engine, 2)
    with session_scope(engine) as session:
        service.enqueue(session, messages=messages)

    with session_scope(engine) as session:
        assert erase_chat(session, telegram_chat_id=31_000)

    assert Counter(r.chat_id for r in outbox_rows(engine)) == Counter({messages[1].chat_id: 1})


def test_texts_of_old_delivered_messages_are_forgotten_but_waiting_ones_kept(engine) -> None:
    with session_scope(engine) as session:
        service.enqueue(session, messages=_messages(engine, 2))
    with session_scope(engine) as session:
        delivered = service.claim_due(session, limit=1)[0]
        service.mark_sent(session, message_id=delivered.id, telegram_message_id=1)

    with session_scope(engine) as session:
        forgotten = service.forget_old_texts(session, older_than=utcnow() + timedelta(days=1))

    assert forgotten == 1
    assert [(r.status, r.html) for r in outbox_rows(engine)] == [
        (OutboxStatus.SENT, ""),
        (OutboxStatus.PENDING, "Jawaban."),
    ]
