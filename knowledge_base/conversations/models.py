"""Conversation tables: the chats (citizens and groups) the bot has talked to, and the question log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, String, Text
from sqlmodel import Field, SQLModel

import knowledge_base.knowledge.models  # noqa: F401  (foreign-key target: kb_entry)
from knowledge_base.core.columns import UTCDateTime, utcnow


class Chat(SQLModel, table=True):
    """A private chat or group, with its announcement subscription."""

    __tablename__ = "chat"

    id: int | None = Field(default=None, primary_key=True)
    telegram_chat_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    kind: str = Field(default="private", sa_type=String(16))
    first_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    subscribed: bool = Field(default=False, index=True)
    # Kecamatan names the subscriber chose; empty means every announcement.
    subscription_areas: list[str] = Field(default_factory=list, sa_type=JSON)
    subscribed_by_user_id: int | None = Field(default=None, sa_type=BigInteger)
    subscribed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    blocked: bool = Field(default=False)
    language: str = Field(default="id", sa_type=String(8))


class Outcome(StrEnum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    ESCALATE = "escalate"
    DECLINE = "decline"


class QuestionLog(SQLModel, table=True):
    """One question as asked (masked), with the matcher's decision and timing."""

    __tablename__ = "question_log"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int | None = Field(
        default=None, foreign_key="chat.id", ondelete="SET NULL", index=True
    )
    masked_text: str = Field(sa_type=Text)
    normalised_text: str = Field(sa_type=Text)
    outcome: str = Field(sa_type=String(16), index=True)
    entry_id: int | None = Field(
        default=None, foreign_key="kb_entry.id", ondelete="SET NULL", index=True
    )
    score: float = Field(default=0.0)
    latency_ms: float = Field(default=0.0)
    channel: str = Field(default="telegram", sa_type=String(16))
    feedback: str | None = Field(default=None, sa_type=String(16))
    asked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
