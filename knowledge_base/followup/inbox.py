"""What waits for staff: the filtered, paginated list of open questions and who asked each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
) -> QuestionPage:
    """Filtered, paginated questions; overdue open ones always come first."""
    query = select(UnansweredQuestion).where(UnansweredQuestion.merged_into_id.is_(None))
    if status:
        query = query.where(UnansweredQuestion.status == status)
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
    now = utcnow()
    overdue = (UnansweredQuestion.status == UnansweredStatus.OPEN) & (
        col(UnansweredQuestion.due_at) < now
    )
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
