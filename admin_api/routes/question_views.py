"""How a question looks in the staff API: overdue flag, askers and their delivery status."""

from __future__ import annotations

from sqlmodel import Session

from admin_api.schemas import AskerPublic, QuestionDetail, QuestionPublic
from knowledge_base.core.columns import utcnow
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.followup.service import delivery_to_askers
from knowledge_base.outbox.models import OutboxStatus


def question_public(question: UnansweredQuestion) -> QuestionPublic:
    overdue = (
        question.status == UnansweredStatus.OPEN
        and question.due_at is not None
        and question.due_at < utcnow()
    )
    return QuestionPublic.model_validate(question).model_copy(update={"overdue": overdue})


def question_detail(session: Session, question: UnansweredQuestion) -> QuestionDetail:
    """The question with each asker's delivery status, read from the outbox rows."""
    deliveries, report = delivery_to_askers(session, question)
    return QuestionDetail(
        **question_public(question).model_dump(),
        askers=[
            AskerPublic(
                masked_text=asker.masked_text,
                asked_at=asker.asked_at,
                reply_status=row.status if row else OutboxStatus.PENDING,
                reply_error=row.last_error if row else None,
                reply_purpose=row.purpose if row else None,
                replied_at=row.sent_at if row else None,
            )
            for asker, row in deliveries
        ],
        delivery=report,
    )
