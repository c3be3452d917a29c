"""Candidate phrasings waiting for staff, and which logged question proposed each sighting."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import knowledge_base.conversations.models  # (foreign-key target: question_log)
import knowledge_base.knowledge.models  # (foreign-key target: kb_entry)
import knowledge_base.staff.models  # noqa: F401  (foreign-key target: staff_user)
from knowledge_base.core.columns import UTCDateTime, utcnow

MAX_CANDIDATE_CHARS = 300  # the longest phrasing an entry may have


class CandidateSource(StrEnum):
    SUGGESTION_TAP = "suggestion_tap"  # the citizen tapped this entry under "Maksud Anda"
    HELPFUL_VOTE = "helpful_vote"  # the citizen rated this entry's answer 👍


class CandidateStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class CandidatePhrasing(SQLModel, table=True):
    """A citizen's masked wording proposed as a phrasing of one entry; the same wording for
    the same entry is one row whose ``times_seen`` grows."""

    __tablename__ = "candidate_phrasing"
    __table_args__ = (
        # Also the index of a lookup by entry (its first column).
        UniqueConstraint("entry_id", "text_key"),
        Index("ix_candidate_phrasing_status_times_seen", "status", "times_seen"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # A candidate means nothing without its entry: deleting the entry deletes it.
    entry_id: int = Field(foreign_key="kb_entry.id", ondelete="CASCADE")
    text: str = Field(sa_type=Text)
    # The text case-folded, spaces collapsed and end punctuation dropped: what "the same" means.
    text_key: str = Field(sa_type=String(MAX_CANDIDATE_CHARS))
    source: str = Field(sa_type=String(16))
    times_seen: int = Field(default=1)
    status: str = Field(default=CandidateStatus.PENDING, sa_type=String(16))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(
        default=None, foreign_key="staff_user.id", ondelete="SET NULL"
    )


class CandidateSighting(SQLModel, table=True):
    """One logged question that proposed a candidate: a question teaches at most once, so a
    double tap or a replayed button does not count twice. Goes with the log (retention)."""

    __tablename__ = "candidate_sighting"

    question_log_id: int = Field(
        foreign_key="question_log.id", ondelete="CASCADE", primary_key=True
    )
    # Empty only inside the proposing transaction: the log is claimed before the candidate
    # is counted, so two taps racing on PostgreSQL count once.
    candidate_id: int | None = Field(
        default=None, foreign_key="candidate_phrasing.id", ondelete="CASCADE", index=True
    )
    source: str = Field(sa_type=String(16))
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
