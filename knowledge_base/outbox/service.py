"""Plain functions on the outbox; each status change of a message is written here, once.

None of them commits: the caller's transaction decides (the enqueue belongs to the change that
caused it; the sender commits each claim and each outcome at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Select, Update, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from knowledge_base.conversations.models import Chat
from knowledge_base.conversations.service import mark_blocked as mark_chat_blocked
from knowledge_base.core.columns import utcnow
from knowledge_base.outbox.models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    OutboxMessage,
    OutboxStatus,
)

RefQuery = TypeVar("RefQuery", Select, Update)


@dataclass(frozen=True)
class NewMessage:
    """A message to enqueue; ``key`` makes enqueueing it twice harmless."""

    key: str
    purpose: str
    chat_id: int
    html: str
    ref_type: str | None = None
    ref_id: int | None = None
    occurrence: int = 0
    buttons: list[list[list[str]]] | None = None  # rows of [label, callback data]
    edit_key: str | None = None  # edit the message sent for this key instead of sending


@dataclass(frozen=True)
class OutboxRef:
    """The rows sent for one thing (a question, an announcement occurrence), for reports."""

    ref_type: str
    ref_id: int
    occurrence: int | None = None  # None: every occurrence


@dataclass(frozen=True)
class ClaimedMessage:
    """A row claimed for sending, with what the sender needs to send it."""

    id: int
    telegram_chat_id: int
    html: str
    attempts: int
    buttons: list[list[list[str]]] | None = None
    edit_key: str | None = None
    # The Telegram message to edit (None while the original is not sent yet).
    edit_message_id: int | None = None


def enqueue(session: Session, *, messages: Sequence[NewMessage]) -> int:
    """Insert the messages whose key is new; returns how many were added."""
    if not messages:
        return 0
    now = utcnow()
    rows = [
        {
            **vars(message),
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for message in messages
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(OutboxMessage)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutboxMessage.id)
    )
    return len(session.execute(statement, rows).all())


def restrict_to_ref(query: RefQuery, ref: OutboxRef | None) -> RefQuery:
    """``query`` limited to the reference's rows (all rows for ``None``)."""
    if ref is None:
        return query
    query = query.where(OutboxMessage.ref_type == ref.ref_type, OutboxMessage.ref_id == ref.ref_id)
    if ref.occurrence is not None:
        query = query.where(OutboxMessage.occurrence == ref.occurrence)
    return query


def claim_due(
    session: Session, *, limit: int, ref: OutboxRef | None = None, now: datetime | None = None
) -> list[ClaimedMessage]:
    """Atomically move up to ``limit`` due pending rows to ``sending`` and return them.

    One UPDATE whose WHERE re-checks ``pending``: SQLite runs it under its single write lock;
    on PostgreSQL the candidate rows are locked ``FOR UPDATE SKIP LOCKED``, so concurrent
    claimers in other processes take different rows instead of waiting or sharing.
    """
    now = now or utcnow()
    due = restrict_to_ref(
        select(OutboxMessage.id).where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
        ),
        ref,
    )
    # Materialised once: an IN (subquery LIMIT n FOR UPDATE SKIP LOCKED) may be rescanned by
    # PostgreSQL's planner and then claim more than n rows.
    due = (
        due.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("due")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    claimed = (
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == due.c.id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENDING, claimed_at=now)
            .returning(OutboxMessage.id)
        )
        .scalars()
        .all()
    )
    if not claimed:
        return []
    original = aliased(OutboxMessage)
    rows = session.execute(
        select(
            OutboxMessage.id,
            Chat.telegram_chat_id,
            OutboxMessage.html,
            OutboxMessage.attempts,
            OutboxMessage.buttons,
            OutboxMessage.edit_key,
            original.telegram_message_id,
        )
        .join(Chat, Chat.id == OutboxMessage.chat_id)
        .outerjoin(original, original.key == OutboxMessage.edit_key)
        .where(col(OutboxMessage.id).in_(claimed))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    ).all()
    return [ClaimedMessage(*row) for row in rows]


def _set(session: Session, message_id: int, **values: object) -> None:
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))


def mark_sent(session: Session, *, message_id: int, telegram_message_id: int | None) -> None:
    """Telegram accepted the message: it is never sent again, even after a crash."""
    _set(
        session,
        message_id,
        status=OutboxStatus.SENT,
        attempts=OutboxMessage.attempts + 1,
        telegram_message_id=telegram_message_id,
        sent_at=utcnow(),
        claimed_at=None,
        last_error=None,
    )


def retry_later(
    session: Session, *, message_id: int, at: datetime, error: str, count_attempt: bool = True
) -> None:
    """Back to ``pending`` until ``at`` (a 429 is Telegram's pacing, not an attempt)."""
    _set(
        session,
        message_id,
        status=OutboxStatus.PENDING,
        attempts=OutboxMessage.attempts + (1 if count_attempt else 0),
        next_attempt_at=at,
        claimed_at=None,
        last_error=error,
    )


def mark_failed(session: Session, *, message_id: int, error: str) -> None:
    """Given up: a permanent error, or too many transient ones; the error is kept."""
    _set(
        session,
        message_id,
        status=OutboxStatus.FAILED,
        attempts=OutboxMessage.attempts + 1,
        claimed_at=None,
        last_error=error,
    )


def mark_blocked(session: Session, *, message_id: int, error: str) -> int | None:
    """The chat refused the message (blocked the bot, left, deactivated): this row and every
    other open row for that chat (a sender holding one must drop it) are ``blocked``, and the
    chat is marked blocked and unsubscribed. Returns the Telegram chat id (``None`` if the
    chat was erased meanwhile)."""
    chat = session.exec(
        select(Chat)
        .join(OutboxMessage, OutboxMessage.chat_id == Chat.id)
        .where(OutboxMessage.id == message_id)
    ).first()
    _set(session, message_id, attempts=OutboxMessage.attempts + 1)
    if chat is None:
        return None
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.chat_id == chat.id,
            (OutboxMessage.id == message_id) | col(OutboxMessage.status).in_(OPEN_STATUSES),
        )
        .values(status=OutboxStatus.BLOCKED, claimed_at=None, last_error=error)
    )
    mark_chat_blocked(session, telegram_chat_id=chat.telegram_chat_id)
    return chat.telegram_chat_id


def renew_claims(session: Session, *, message_ids: Sequence[int]) -> set[int]:
    """Extend the lease of rows this sender still holds; returns those it still holds (a row
    requeued by another process after a stall is no longer ours and must not be sent)."""
    if not message_ids:
        return set()
    held = session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id).in_(list(message_ids)),
            OutboxMessage.status == OutboxStatus.SENDING,
        )
        .values(claimed_at=utcnow())
        .returning(OutboxMessage.id)
    )
    return set(held.scalars().all())


def requeue_stale(session: Session, *, older_than: datetime) -> int:
    """Rows left ``sending`` by a sender that died (lease expired) become pending again."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            (col(OutboxMessage.claimed_at) < older_than) | col(OutboxMessage.claimed_at).is_(None),
        )
        .values(status=OutboxStatus.PENDING, claimed_at=None)
    )
    return result.rowcount or 0


def release(session: Session, *, message_ids: Sequence[int]) -> None:
    """Give claimed rows back unsent (a sender stopping), due at once for the next sender."""
    if message_ids:
        session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id).in_(list(message_ids)),
                OutboxMessage.status == OutboxStatus.SENDING,
            )
            .values(status=OutboxStatus.PENDING, claimed_at=None)
        )


def delivery_report(session: Session, *, ref: OutboxRef) -> dict[str, int]:
    """How many of the reference's rows are in each status (every status is present)."""
    counts = dict(
        session.execute(
            restrict_to_ref(select(OutboxMessage.status, func.count()), ref).group_by(
                OutboxMessage.status
            )
        ).all()
    )
    return {status.value: counts.get(status.value, 0) for status in OutboxStatus}


def is_settled(session: Session, *, ref: OutboxRef | None = None) -> bool:
    """Whether no row (of the reference) is still pending or being sent."""
    query = restrict_to_ref(
        select(OutboxMessage.id).where(col(OutboxMessage.status).in_(OPEN_STATUSES)), ref
    )
    return session.execute(query.limit(1)).first() is None


def next_due_at(session: Session, *, ref: OutboxRef | None = None) -> datetime | None:
    """When the earliest pending row (of the reference) becomes due."""
    query = restrict_to_ref(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING
        ),
        ref,
    )
    return session.execute(query).scalar()


def messages_by_chat(session: Session, *, ref: OutboxRef) -> dict[int, OutboxMessage]:
    """The reference's rows keyed by our chat id (the newest when a chat has several)."""
    rows = session.exec(
        restrict_to_ref(select(OutboxMessage), ref).order_by(col(OutboxMessage.id))
    ).all()
    return {row.chat_id: row for row in rows}


def forget_old_texts(session: Session, *, older_than: datetime) -> int:
    """Blank the text of final rows created before ``older_than`` (answers quote the citizen's
    question): status, times and keys stay for reports and against resending."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.status).in_(FINAL_STATUSES),
            OutboxMessage.created_at < older_than,
            OutboxMessage.html != "",
        )
        .values(html="")
    )
    return result.rowcount or 0
