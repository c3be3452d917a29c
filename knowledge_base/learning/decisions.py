"""Staff decide on candidate phrasings: the list they work from, accepting (the wording becomes
a phrasing through the ordinary entry save) and rejecting. Each decision is audited here, so
the API and the console cannot differ."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from knowledge_base.core.columns import utcnow
from knowledge_base.knowledge.editing import checked_record
from knowledge_base.knowledge.entries import bump_knowledge_version, entry_to_record
from knowledge_base.knowledge.models import KnowledgeEntry
from knowledge_base.knowledge.publishing import save_entry_as
from knowledge_base.learning.models import CandidatePhrasing, CandidateStatus
from knowledge_base.learning.proposals import candidate_text, text_key
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser

ACCEPT_SUMMARY = "candidate phrasing accepted"


class CandidateNotFound(Exception):
    """No candidate has this id (or its entry was deleted, and the candidate with it)."""


class CandidateDecided(Exception):
    """The candidate was accepted or rejected already (``status`` says which)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class CandidateView:
    """A candidate as staff see it, with the entry it would become a phrasing of."""

    id: int
    entry_slug: str
    entry_question: str
    text: str
    source: str
    times_seen: int
    status: str
    created_at: datetime
    last_seen_at: datetime
    decided_at: datetime | None


def list_candidates(
    session: Session,
    *,
    status: CandidateStatus = CandidateStatus.PENDING,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[CandidateView], int]:
    """Candidates with ``status``, the most often seen first, and how many there are."""
    where = CandidatePhrasing.status == status
    total = session.exec(select(func.count()).select_from(CandidatePhrasing).where(where)).one()
    rows = session.exec(
        select(CandidatePhrasing, KnowledgeEntry)
        .join(KnowledgeEntry, col(KnowledgeEntry.id) == CandidatePhrasing.entry_id)
        .where(where)
        .order_by(
            col(CandidatePhrasing.times_seen).desc(),
            col(CandidatePhrasing.last_seen_at).desc(),
            col(CandidatePhrasing.id),
        )
        .offset(offset)
        .limit(limit)
    ).all()
    return [_view(candidate, entry) for candidate, entry in rows], total


def pending_candidates(
    session: Session, *, limit: int = 50, offset: int = 0
) -> tuple[list[CandidateView], int]:
    """What waits for a staff decision, the most often seen first."""
    return list_candidates(session, status=CandidateStatus.PENDING, limit=limit, offset=offset)


def accept(session: Session, *, candidate_id: int, staff: StaffUser) -> CandidateView:
    """Add the candidate's wording to its entry's phrasings (a revision by ``staff``, and a new
    knowledge version, so every bot rebuilds and retrains) and mark it accepted. Raises
    ``CandidateNotFound``, ``CandidateDecided``, or ``EntryInvalid`` when the entry cannot
    take it. The caller commits."""
    candidate = _pending(session, candidate_id)
    # Locked: two colleagues accepting two wordings of one entry must not lose one of them.
    entry = session.get(
        KnowledgeEntry, candidate.entry_id, with_for_update=True, populate_existing=True
    )
    if entry is None:
        raise CandidateNotFound(candidate_id)
    record = entry_to_record(entry)
    wording = candidate_text(candidate.text)
    changed: list[str] = []
    if text_key(wording) not in {text_key(p) for p in record.phrasings}:
        fields = {**record.model_dump(), "phrasings": [*record.phrasings, wording]}
        _saved, changed = save_entry_as(
            session, checked_record(fields), staff=staff, summary=ACCEPT_SUMMARY
        )
    if changed:
        bump_knowledge_version(session)
    _decide(session, candidate, CandidateStatus.ACCEPTED, staff, entry, changed)
    return _view(candidate, entry)


def reject(session: Session, *, candidate_id: int, staff: StaffUser) -> CandidateView:
    """Mark the candidate rejected: it never becomes a phrasing, and seeing the wording again
    only counts it. Raises ``CandidateNotFound`` or ``CandidateDecided``. The caller commits."""
    candidate = _pending(session, candidate_id)
    entry = session.get(KnowledgeEntry, candidate.entry_id)
    if entry is None:
        raise CandidateNotFound(candidate_id)
    _decide(session, candidate, CandidateStatus.REJECTED, staff, entry, [])
    return _view(candidate, entry)


def _pending(session: Session, candidate_id: int) -> CandidatePhrasing:
    # Locked on PostgreSQL: of two colleagues deciding at once, the second sees the decision.
    candidate = session.get(
        CandidatePhrasing, candidate_id, with_for_update=True, populate_existing=True
    )
    if candidate is None:
        raise CandidateNotFound(candidate_id)
    if candidate.status != CandidateStatus.PENDING:
        raise CandidateDecided(candidate.status)
    return candidate


def _decide(
    session: Session,
    candidate: CandidatePhrasing,
    status: CandidateStatus,
    staff: StaffUser,
    entry: KnowledgeEntry,
    changed: list[str],
) -> None:
    candidate.status = status
    candidate.decided_at = utcnow()
    candidate.decided_by_id = staff.id
    session.add(candidate)
    verb = "accept" if status == CandidateStatus.ACCEPTED else "reject"
    detail: dict[str, object] = {"entry": entry.slug, "source": candidate.source}
    if status == CandidateStatus.ACCEPTED:
        detail |= {"changed": changed, "version": entry.version}
    record_action(
        session,
        staff=staff,
        action=f"kb.candidate.{verb}",
        resource_type="candidate_phrasing",
        resource_id=candidate.id,
        detail=detail,
    )


def _view(candidate: CandidatePhrasing, entry: KnowledgeEntry) -> CandidateView:
    return CandidateView(
        id=candidate.id,
        entry_slug=entry.slug,
        entry_question=entry.question,
        text=candidate.text,
        source=candidate.source,
        times_seen=candidate.times_seen,
        status=candidate.status,
        created_at=candidate.created_at,
        last_seen_at=candidate.last_seen_at,
        decided_at=candidate.decided_at,
    )
