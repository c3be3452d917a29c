"""Staff close questions the bot could not answer: answer, dismiss, merge; delivery to askers.

Answers and dismissal notices are outbox rows written in the transaction that closes the
question; the outbox sender delivers them after the commit, so no request waits for Telegram.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from sqlalchemy import update
from sqlmodel import Session, select

from knowledge_base.answering import messages
from knowledge_base.answering.engine import Office
from knowledge_base.core.columns import utcnow
from knowledge_base.followup.inbox import askers
from knowledge_base.followup.models import UnansweredAsker, UnansweredQuestion, UnansweredStatus
from knowledge_base.outbox.models import (
    OutboxMessage,
    OutboxPurpose,
    OutboxRefType,
    OutboxStatus,
)
from knowledge_base.outbox.service import NewMessage, OutboxRef, enqueue, messages_by_chat
from knowledge_base.staff.models import StaffUser

TextFor = Callable[[str], str]  # the asker's question -> the plain text they receive


class QuestionClosed(Exception):
    """The question was answered or dismissed meanwhile (by another staff member)."""


def question_ref(question_id: int) -> OutboxRef:
    """The outbox rows sent for a question (its answer or dismissal notice)."""
    return OutboxRef(OutboxRefType.QUESTION, question_id)


def _close(session: Session, question: UnansweredQuestion, **values: object) -> None:
    """Move an open question to its final state atomically: two staff members answering at
    once cannot both send (the second gets ``QuestionClosed``)."""
    result = session.execute(
        update(UnansweredQuestion)
        .where(
            UnansweredQuestion.id == question.id,
            UnansweredQuestion.status == UnansweredStatus.OPEN,
        )
        .values(answered_at=utcnow(), **values)
    )
    if result.rowcount != 1:
        raise QuestionClosed(question.id)
    session.refresh(question)


def _notify_askers(
    session: Session, question: UnansweredQuestion, purpose: OutboxPurpose, text_for: TextFor
) -> int:
    """One outbox row per asker (merged records included); returns how many were queued."""
    return enqueue(
        session,
        messages=[
            NewMessage(
                key=f"{purpose}:q{question.id}:chat{chat.id}",
                purpose=purpose,
                chat_id=chat.id,
                html=html.escape(text_for(asker.masked_text), quote=False),
                ref_type=OutboxRefType.QUESTION,
                ref_id=question.id,
            )
            for asker, chat in askers(session, question)
        ],
    )


def answer_question(
    session: Session, *, question: UnansweredQuestion, staff: StaffUser, text: str
) -> int:
    """Mark answered and queue the reply to every asker, in the caller's transaction (commit
    it: the outbox sender delivers after). Returns how many replies were queued."""
    _close(
        session,
        question,
        status=UnansweredStatus.ANSWERED,
        staff_answer=text,
        answered_by_id=staff.id,
    )
    return _notify_askers(
        session, question, OutboxPurpose.ANSWER, lambda asked: staff_reply_text(asked, text)
    )


def staff_reply_text(asked: str, answer: str) -> str:
    """The plain text an asker receives when staff answer ``asked`` (their own masked words)."""
    return messages.STAFF_REPLY.format(question=asked, answer=answer)


def dismiss_question(
    session: Session,
    *,
    question: UnansweredQuestion,
    staff: StaffUser,
    reason: str,
    office: Office,
) -> int:
    """Close a question without an answer, keeping the reason, and queue a notice with the
    reason to every asker (they may ask again or contact ``office``)."""
    _close(
        session,
        question,
        status=UnansweredStatus.DISMISSED,
        dismiss_reason=reason,
        answered_by_id=staff.id,
    )
    return _notify_askers(
        session,
        question,
        OutboxPurpose.DISMISSAL,
        lambda asked: messages.DISMISSAL_NOTICE.format(
            question=asked,
            reason=reason,
            office_name=office.name,
            office_phone=office.phone,
            office_address=office.address,
            office_website=office.website,
        ),
    )


def delivery_to_askers(
    session: Session, question: UnansweredQuestion
) -> tuple[list[tuple[UnansweredAsker, OutboxMessage | None]], dict[str, int]]:
    """Every asker with the outbox row of the reply to them (``None`` while none was queued),
    and the question's delivery report, both from one read of the rows (so they agree)."""
    rows = messages_by_chat(session, ref=question_ref(question.id))
    report = dict.fromkeys(OutboxStatus, 0)
    for row in rows.values():
        report[OutboxStatus(row.status)] += 1
    return (
        [(asker, rows.get(chat.id)) for asker, chat in askers(session, question)],
        {status.value: count for status, count in report.items()},
    )


def merge_questions(
    session: Session, *, target: UnansweredQuestion, source: UnansweredQuestion
) -> UnansweredQuestion:
    """Fold ``source`` into ``target``: its askers and count move, it disappears from lists."""
    for asker, _chat in askers(session, source):
        duplicate = session.exec(
            select(UnansweredAsker).where(
                UnansweredAsker.question_id == target.id, UnansweredAsker.chat_id == asker.chat_id
            )
        ).first()
        if duplicate is None:
            asker.question_id = target.id
            session.add(asker)
        else:
            session.delete(asker)
    target.ask_count += source.ask_count
    target.first_asked_at = min(target.first_asked_at, source.first_asked_at)
    target.last_asked_at = max(target.last_asked_at, source.last_asked_at)
    if source.due_at and (target.due_at is None or source.due_at < target.due_at):
        target.due_at = source.due_at
    source.merged_into_id = target.id
    source.status = UnansweredStatus.DISMISSED
    source.dismiss_reason = f"digabung ke #{target.id}"
    session.add_all([target, source])
    return target
