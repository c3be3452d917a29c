"""What waits for staff: the filtered, paginated list of open questions and who asked each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from knowledge_base.conversations.models import Chat
from knowledge_base.core.columns import utcnow
from knowledge_base.followup.models import UnansweredAsker, UnansweredQuestion, UnansweredStatus


@dataclass(frozen=True)
class QuestionPage:
    """One page of unanswered questions and the total matching the filters."""

    items: list[UnansweredQuestion]
    total: int


def list_questions(
    session: Session,
    *,
    status: str | None = None,
    search: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    order: str = "newest",
    limit: int = 20,
    offset: int = 0,
    assigned_to_id: int | None = None,
    unassigned: bool = False,
    overdue_only: bool = False,
) -> QuestionPage:
    """Filtered, paginated questions; overdue open ones always come first. ``assigned_to_id``
    keeps one staff member's, ``unassigned`` the ones nobody took, ``overdue_only`` the open
    ones past their due date."""
    query = select(UnansweredQuestion).where(UnansweredQuestion.merged_into_id.is_(None))
    if status:
        query = query.where(UnansweredQuestion.status == status)
    if assigned_to_id is not None:
        query = query.where(UnansweredQuestion.assigned_to_id == assigned_to_id)
    if unassigned:
        query = query.where(col(UnansweredQuestion.assigned_to_id).is_(None))
    if overdue_only:
        query = query.where(_overdue())
    if search:
        # autoescape: a % or _ typed by staff is a literal character, not a wildcard.
        query = query.where(
            or_(
                func.lower(UnansweredQuestion.masked_text).contains(
                    search.lower(), autoescape=True
                ),
                func.lower(UnansweredQuestion.normalised_text).contains(
                    search.lower(), autoescape=True
                ),
            )
        )
    if since:
        query = query.where(UnansweredQuestion.last_asked_at >= since)
    if until:
        query = query.where(UnansweredQuestion.first_asked_at < until)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    overdue = _overdue()
    secondary = (
        col(UnansweredQuestion.ask_count).desc()
        if order == "most_asked"
        else col(UnansweredQuestion.last_asked_at).desc()
    )
    rows = session.exec(
        query.order_by(overdue.desc(), secondary, col(UnansweredQuestion.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return QuestionPage(items=list(rows), total=total)


def is_overdue(question: UnansweredQuestion, now: datetime | None = None) -> bool:
    """Whether ``question`` is still open past its due date (at ``now``, default: now)."""
    return (
        question.status == UnansweredStatus.OPEN
        and question.due_at is not None
        and question.due_at < (now or utcnow())
    )


def _overdue():
    return (UnansweredQuestion.status == UnansweredStatus.OPEN) & (
        col(UnansweredQuestion.due_at) < utcnow()
    )


def status_counts(session: Session) -> dict[str, int]:
    """How many questions are in each status (merged ones not counted) and how many open ones
    are overdue (key ``overdue``)."""
    rows = session.exec(
        select(UnansweredQuestion.status, func.count())
        .where(UnansweredQuestion.merged_into_id.is_(None))
        .group_by(UnansweredQuestion.status)
    ).all()
    counts = {status.value: 0 for status in UnansweredStatus}
    counts.update(dict(rows))
    overdue = select(func.count()).where(UnansweredQuestion.merged_into_id.is_(None), _overdue())
    counts["overdue"] = session.exec(overdue).one()
    return counts


def similar_open_questions(
    session: Session, question: UnansweredQuestion, *, limit: int = 5, threshold: float = 55
) -> list[tuple[UnansweredQuestion, float]]:
    """Other open questions alike enough to merge into this one, closest first, with their
    similarity (0–100)."""
    others = session.exec(
        select(UnansweredQuestion).where(
            UnansweredQuestion.status == UnansweredStatus.OPEN,
            UnansweredQuestion.merged_into_id.is_(None),
            UnansweredQuestion.id != question.id,
        )
    ).all()
    found = process.extract(
        question.normalised_text,
        [other.normalised_text for other in others],
        scorer=fuzz.token_sort_ratio,
        score_cutoff=threshold,
        limit=limit,
    )
    return [(others[index], score) for _text, score, index in found]


def askers(session: Session, question: UnansweredQuestion) -> list[tuple[UnansweredAsker, Chat]]:
    """Every chat that asked this question (merged records included)."""
    merged = session.exec(
        select(UnansweredQuestion.id).where(UnansweredQuestion.merged_into_id == question.id)
    ).all()
    ids = [question.id, *merged]
    return list(
        session.exec(
            select(UnansweredAsker, Chat)
            .join(Chat, Chat.id == UnansweredAsker.chat_id)
            .where(col(UnansweredAsker.question_id).in_(ids))
            .order_by(UnansweredAsker.id)
        ).all()
    )
