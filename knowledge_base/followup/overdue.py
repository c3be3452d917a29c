"""Questions past their due date: their askers get one short "still being processed" message
with a new expectation, once per question, through the outbox."""

from __future__ import annotations

import html
from datetime import datetime

from sqlmodel import Session, col, select

from knowledge_base.answering import messages
from knowledge_base.core.columns import utcnow
from knowledge_base.followup.inbox import askers
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.knowledge.office_calendar import OfficeCalendar
from knowledge_base.knowledge.stage_calendar import format_date
from knowledge_base.outbox.models import OutboxPurpose, OutboxRefType
from knowledge_base.outbox.service import NewMessage, enqueue


def queue_overdue_notices(
    session: Session,
    *,
    calendar: OfficeCalendar,
    extra_working_days: int,
    now: datetime | None = None,
) -> int:
    """Tell the askers of every open question past its due date (not told before) that the
    answer is late, expected within ``extra_working_days`` working days; returns how many
    messages were queued. The due date itself stays, so staff still see it overdue."""
    now = now or utcnow()
    late = session.exec(
        select(UnansweredQuestion).where(
            UnansweredQuestion.status == UnansweredStatus.OPEN,
            UnansweredQuestion.merged_into_id.is_(None),
            col(UnansweredQuestion.due_at) < now,
            col(UnansweredQuestion.overdue_notified_at).is_(None),
        )
    ).all()
    expected = format_date(
        calendar.working_days_later(now, extra_working_days).astimezone(calendar.zone).date()
    )
    queued = 0
    for question in late:
        queued += enqueue(
            session,
            messages=[
                NewMessage(
                    key=f"{OutboxPurpose.OVERDUE_NOTICE}:q{question.id}:chat{chat.id}",
                    purpose=OutboxPurpose.OVERDUE_NOTICE,
                    chat_id=chat.id,
                    html=html.escape(
                        messages.OVERDUE_NOTICE.format(
                            question=asker.masked_text, expected=expected
                        ),
                        quote=False,
                    ),
                    ref_type=OutboxRefType.QUESTION_NOTICE,
                    ref_id=question.id,
                )
                for asker, chat in askers(session, question)
            ],
        )
        question.overdue_notified_at = now
        session.add(question)
    return queued
