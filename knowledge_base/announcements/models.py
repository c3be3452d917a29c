"""Announcements staff schedule (their deliveries are outbox rows, see knowledge_base/outbox)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, String, Text
from sqlmodel import Field, SQLModel

import knowledge_base.knowledge.models
import knowledge_base.staff.models  # noqa: F401  (foreign-key target: staff_user)
from knowledge_base.core.columns import UTCDateTime, utcnow


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
    # The occurrence being (or last) delivered: 0 for one-off announcements, counting up for
    # each day of a recurring one; None before the first delivery.
    current_occurrence: int | None = Field(default=None)
