"""Knowledge-base tables: entries, their revision history, the change counter processes watch, and the election stages."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import knowledge_base.staff.models  # noqa: F401  (foreign-key target: staff_user)
from knowledge_base.core.columns import UTCDateTime, utcnow


class EntryStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class KnowledgeEntry(SQLModel, table=True):
    """One curated question with its answer, legal source and citizen phrasings."""

    __tablename__ = "kb_entry"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_type=String(80), unique=True, index=True)
    category: str = Field(sa_type=String(60), index=True)
    question: str = Field(sa_type=Text)
    phrasings: list[str] = Field(default_factory=list, sa_type=JSON)
    answer: str = Field(sa_type=Text)
    legal_source: str = Field(sa_type=Text)
    source_url: str | None = Field(default=None, sa_type=Text)
    reviewed_on: date
    status: str = Field(default=EntryStatus.PUBLISHED, sa_type=String(16), index=True)
    # Names a live computation (current stage, next election) that prefixes the static answer.
    dynamic: str | None = Field(default=None, sa_type=String(40))
    version: int = Field(default=1)
    # Staff who wrote or changed the draft: none of them may publish it (four eyes).
    editor_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    published_by_id: int | None = Field(
        default=None, foreign_key="staff_user.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class KnowledgeRevision(SQLModel, table=True):
    """A snapshot of an entry after each change: who, when and what."""

    __tablename__ = "kb_revision"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int | None = Field(
        default=None, foreign_key="kb_entry.id", ondelete="SET NULL", index=True
    )
    slug: str = Field(sa_type=String(80), index=True)
    version: int
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    changed_fields: list[str] = Field(default_factory=list, sa_type=JSON)
    changed_by: str | None = Field(default=None, sa_type=String(80))
    summary: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class KnowledgeBaseState(SQLModel, table=True):
    """A single row whose version grows with every content change, so processes can reload."""

    __tablename__ = "kb_state"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ElectionStage(SQLModel, table=True):
    """One stage of one election, with inclusive start and end dates (local calendar)."""

    __tablename__ = "election_stage"
    __table_args__ = (UniqueConstraint("election", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    election: str = Field(sa_type=String(80), index=True)
    stage: str = Field(sa_type=String(160))
    starts_on: date = Field(index=True)
    ends_on: date
    description: str = Field(default="", sa_type=Text)
    legal_source: str | None = Field(default=None, sa_type=Text)
