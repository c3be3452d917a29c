"""Announcements staff schedule, and one delivery row per recipient chat."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from knowledge_base.models.base import UTCDateTime, utcnow


class AnnouncementStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
    MISSED = "missed"


class Announcement(SQLModel, table=True):
    """A message pushed to subscribers at a fixed time or relative to an election stage."""

    __tablename__ = "announcement"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=String(200))
    body: str = Field(sa_type=Text)
    audience_areas: list[str] = Field(default_factory=list, sa_type=JSON)
    send_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    stage_id: int | None = Field(default=None, foreign_key="election_stage.id", ondelete="SET NULL")
    stage_anchor: str | None = Field(default=None, sa_type=String(8))
    stage_offset_minutes: int | None = Field(default=None)
    recurrence: str | None = Field(default=None, sa_type=String(40))
    recurrence_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default=AnnouncementStatus.DRAFT, sa_type=String(20), index=True)
    author_id: int | None = Field(default=None, foreign_key="staff_user.id", ondelete="SET NULL")
    # Everyone who wrote or changed the text; none of them may approve it (four eyes).
    editor_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    approved_by_id: int | None = Field(
        default=None, foreign_key="staff_user.id", ondelete="SET NULL"
    )
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"


class AnnouncementDelivery(SQLModel, table=True):
    """One announcement occurrence to one chat; created before sending, so nothing is lost."""

    __tablename__ = "announcement_delivery"
    __table_args__ = (UniqueConstraint("announcement_id", "occurrence", "chat_id"),)

    id: int | None = Field(default=None, primary_key=True)
    announcement_id: int = Field(foreign_key="announcement.id", ondelete="CASCADE", index=True)
    # Zero for one-off announcements; counts up for each run of a recurring one.
    occurrence: int = Field(default=0)
    chat_id: int = Field(foreign_key="chat.id", ondelete="CASCADE", index=True)
    status: str = Field(default=DeliveryStatus.PENDING, sa_type=String(16), index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_type=Text)
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
