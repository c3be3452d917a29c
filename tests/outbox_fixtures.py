"""Helpers for outbox tests: askers in bulk, a fast policy, a sender on the fake Bot API."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from telegram import Bot

from bot.outbox_transport import TelegramTransport
from knowledge_base.announcements.delivery import finish_broadcasts
from knowledge_base.conversations.models import Chat
from knowledge_base.core.db import session_scope
from knowledge_base.followup.models import UnansweredAsker, UnansweredQuestion
from knowledge_base.outbox.flows import OutboxSender
from knowledge_base.outbox.models import OutboxMessage
from knowledge_base.outbox.policy import OutboxPolicy
from knowledge_base.outbox.service import NewMessage, enqueue

FAST = OutboxPolicy(
    rate_per_second=500,
    per_chat_interval=0,
    backoff_seconds=0.05,
    max_attempts=3,
    poll_seconds=0.05,
)
QUESTION = "kapan logistik pemilu yang tersisa dimusnahkan"


def add_chats(engine: Engine, count: int, first: int = 20_000) -> list[int]:
    """``count`` chats with Telegram ids from ``first``; returns their Telegram ids."""
    ids = list(range(first, first + count))
    with session_scope(engine) as session:
        session.execute(insert(Chat), [{"telegram_chat_id": i} for i in ids])
    return ids


def question_with_askers(engine: Engine, count: int, first: int = 20_000) -> int:
    """An open question asked by ``count`` new chats; returns its id."""
    add_chats(engine, count, first)
    with session_scope(engine) as session:
        question = UnansweredQuestion(masked_text=QUESTION, normalised_text=QUESTION)
        session.add(question)
        session.flush()
        chats = session.exec(select(Chat.id).where(Chat.telegram_chat_id >= first)).all()
        session.execute(
            insert(UnansweredAsker),
            [{"question_id": question.id, "chat_id": c, "masked_text": QUESTION} for c in chats],
        )
        return question.id


def queue_message(engine: Engine, telegram_chat_id: int, html: str, key: str) -> None:
    """One outbox row to an existing chat."""
    with session_scope(engine) as session:
        chat_id = session.exec(
            select(Chat.id).where(Chat.telegram_chat_id == telegram_chat_id)
        ).one()
        enqueue(session, messages=[NewMessage(key=key, purpose="test", chat_id=chat_id, html=html)])


def outbox_rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def statuses(engine: Engine) -> Counter:
    return Counter(row.status for row in outbox_rows(engine))


def sender(engine: Engine, token: str, base_url: str, policy: OutboxPolicy = FAST) -> OutboxSender:
    """A sender with its own Bot on the fake server (opened by ``start``)."""
    transport = TelegramTransport(Bot(token, base_url=base_url), owns_bot=True)
    return OutboxSender(engine, transport, policy, housekeeping=[finish_broadcasts])
