"""Follow-up tables: questions waiting for staff and every citizen who asked them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import knowledge_base.conversations.models
import knowledge_base.staff.models  # noqa: F401  (foreign-key target: staff_user)
from knowledge_base.core.columns import UTCDateTime, utcnow


class UnansweredStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    DISMISSED = "dismissed"


class UnansweredQuestion(SQLModel, table=True):
    """A cluster of similar questions the bot could not answer, followed up by staff."""

    __tablename__ = "unanswered_question"

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default=UnansweredStatus.OPEN, sa_type=String(16), index=True)
    masked_text: str = Field(sa_type=Text)
    normalised_text: str = Field(sa_type=Text)
    ask_count: int = Field(default=1)
    first_asked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    last_asked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    assigned_to_id: int | None = Field(
        default=None, foreign_key="staff_user.id", ondelete="SET NULL"
    )
    staff_answer: str | None = Field(default=None, sa_type=Text)
    answered_by_id: int | None = Field(
        default=None, foreign_key="staff_user.id", ondelete="SET NULL"
    )
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    dismiss_reason: str | None = Field(default=None, sa_type=Text)
    merged_into_id: int | None = Field(
        default=None, foreign_key="unanswered_question.id", ondelete="SET NULL"
    )
    promoted_entry_id: int | None = Field(
        default=None, foreign_key="kb_entry.id", ondelete="SET NULL"
    )
    # When the askers were told the answer is late (they are told once).
    overdue_notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReplyStatus(StrEnum):
    """How one directly sent message fared (staff test copies); outbox rows have their own."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"


class UnansweredAsker(SQLModel, table=True):
    """One chat that asked an unanswered question (the reply to it is an outbox row)."""

    __tablename__ = "unanswered_asker"
    __table_args__ = (UniqueConstraint("question_id", "chat_id"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="unanswered_question.id", ondelete="CASCADE", index=True)
    chat_id: int = Field(foreign_key="chat.id", ondelete="CASCADE", index=True)
    masked_text: str = Field(sa_type=Text)
    asked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
