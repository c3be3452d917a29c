"""Candidate phrasings the bot learned from citizens (a tapped suggestion, a 👍): staff accept
them into their entry or reject them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field

from admin_api.deps import CurrentStaff, IdPath, SessionDep
from knowledge_base.knowledge.editing import EntryInvalid
from knowledge_base.learning.decisions import (
    CandidateDecided,
    CandidateNotFound,
    CandidateView,
    accept,
    list_candidates,
    reject,
)
from knowledge_base.learning.models import CandidateStatus

router = APIRouter(prefix="/kb/candidates", tags=["knowledge base"])

NOT_FOUND = "Usulan frasa tidak ditemukan."
DECIDED = {
    CandidateStatus.ACCEPTED: "Usulan frasa ini sudah diterima.",
    CandidateStatus.REJECTED: "Usulan frasa ini sudah ditolak.",
}


class CandidatePublic(BaseModel):
    id: int
    entry_id: str = Field(description="The entry's public id (slug)")
    entry_question: str
    text: str = Field(description="The citizen's question, masked")
    source: str = Field(description="suggestion_tap or helpful_vote: how it was first seen")
    times_seen: int
    status: str
    created_at: datetime
    last_seen_at: datetime
    decided_at: datetime | None


class CandidateList(BaseModel):
    items: list[CandidatePublic]
    total: int
    limit: int
    offset: int


def _public(view: CandidateView) -> CandidatePublic:
    return CandidatePublic(
        id=view.id,
        entry_id=view.entry_slug,
        entry_question=view.entry_question,
        text=view.text,
        source=view.source,
        times_seen=view.times_seen,
        status=view.status,
        created_at=view.created_at,
        last_seen_at=view.last_seen_at,
        decided_at=view.decided_at,
    )


@router.get("", response_model=CandidateList)
def candidates(
    session: SessionDep,
    staff: CurrentStaff,
    status_: Annotated[CandidateStatus, Query(alias="status")] = CandidateStatus.PENDING,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CandidateList:
    """Candidates with this status (pending by default), the most often seen first."""
    items, total = list_candidates(session, status=status_, limit=limit, offset=offset)
    return CandidateList(items=[_public(v) for v in items], total=total, limit=limit, offset=offset)


@router.post("/{candidate_id}/accept", response_model=CandidatePublic)
def accept_candidate(
    candidate_id: IdPath, session: SessionDep, staff: CurrentStaff
) -> CandidatePublic:
    """Add the wording to its entry's phrasings (a new revision; running bots retrain)."""
    try:
        view = accept(session, candidate_id=candidate_id, staff=staff)
    except EntryInvalid as invalid:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "; ".join(invalid.problems.values())
        ) from invalid
    except (CandidateNotFound, CandidateDecided) as refused:
        raise _refusal(refused) from refused
    session.commit()
    return _public(view)


@router.post("/{candidate_id}/reject", response_model=CandidatePublic)
def reject_candidate(
    candidate_id: IdPath, session: SessionDep, staff: CurrentStaff
) -> CandidatePublic:
    """Never use this wording for its entry; seeing it again only counts it."""
    try:
        view = reject(session, candidate_id=candidate_id, staff=staff)
    except (CandidateNotFound, CandidateDecided) as refused:
        raise _refusal(refused) from refused
    session.commit()
    return _public(view)


def _refusal(refused: CandidateNotFound | CandidateDecided) -> HTTPException:
    if isinstance(refused, CandidateDecided):
        return HTTPException(status.HTTP_409_CONFLICT, DECIDED[CandidateStatus(refused.status)])
    return HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
