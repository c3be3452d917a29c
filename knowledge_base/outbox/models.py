"""The outbox table: one row per message to one chat, written before anything is sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Index, String, Text
from sqlmodel import Field, SQLModel

from knowledge_base.core.columns import UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its next_attempt_at
    SENDING = "sending"  # claimed by a sender (claimed_at is its lease)
    SENT = "sent"
    FAILED = "failed"  # permanent error, or transient ones up to the attempt limit
    BLOCKED = "blocked"  # the chat blocked the bot, left the group or was deactivated
    CANCELLED = "cancelled"  # staff stopped it before it was sent (it can be reopened)


FINAL_STATUSES = (
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.BLOCKED,
    OutboxStatus.CANCELLED,
)
OPEN_STATUSES = (OutboxStatus.PENDING, OutboxStatus.SENDING)


class OutboxPurpose(StrEnum):
    ANSWER = "answer"  # a staff answer to an asker
    DISMISSAL = "dismissal"  # the notice that staff closed the question, with the reason
    ANNOUNCEMENT = "announcement"
    STAFF_CARD = "staff_card"  # an escalation posted (or edited) in the staff group
    OVERDUE_NOTICE = "overdue_notice"  # askers told once that the answer is late
    STAFF_NOTICE = "staff_notice"  # a private notice or digest to staff


class OutboxRefType(StrEnum):
    """What a row was sent for, so reports can be grouped (with ``ref_id``, ``occurrence``)."""

    QUESTION = "question"
    ANNOUNCEMENT = "announcement"
    STAFF_CARD = "staff_card"  # ref_id: the question the card is about
    QUESTION_NOTICE = "question_notice"  # ref_id: the question a notice to its askers is about


class OutboxMessage(SQLModel, table=True):
    """One message to one chat; created in the transaction that decided to send it.

    ``chat_id`` is our chat row (cascade-deleted): erasing a citizen also drops the messages
    queued for them, which quote their question.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The sender's two queries: due pending rows, and sending rows past their lease.
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_message_status_claimed_at", "status", "claimed_at"),
        Index("ix_outbox_message_ref", "ref_type", "ref_id", "occurrence"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # e.g. answer:q12:chat34, dismissal:q12:chat34, announcement:5:0:chat34 — enqueueing
    # the same key again adds nothing, so a retried request or job never sends twice.
    key: str = Field(sa_type=String(160), unique=True)
    purpose: str = Field(sa_type=String(24))
    ref_type: str | None = Field(default=None, sa_type=String(24))
    ref_id: int | None = Field(default=None)
    occurrence: int = Field(default=0)
    chat_id: int = Field(foreign_key="chat.id", ondelete="CASCADE", index=True)
    html: str = Field(sa_type=Text)
    # Inline buttons under the message: rows of [label, callback data].
    buttons: list[list[list[str]]] | None = Field(default=None, sa_type=JSON)
    # Set: this row edits the message sent for the row with this key, instead of sending one.
    edit_key: str | None = Field(default=None, sa_type=String(160))
    status: str = Field(default=OutboxStatus.PENDING, sa_type=String(16))
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
