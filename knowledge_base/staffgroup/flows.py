"""What staff do from the staff group, each audited exactly as the console does it: take a
question, answer every asker by replying to its card, dismiss it with a reason, turn the answer
into a draft entry. Each step updates the card. None of them commits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session

from knowledge_base.answering.engine import Office
from knowledge_base.core.settings import Settings
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.followup.promotion import promote_to_new_entry
from knowledge_base.followup.service import QuestionClosed, answer_question, dismiss_question
from knowledge_base.knowledge.entries import entry_by_slug
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser
from knowledge_base.staffgroup.cards import queue_card
from knowledge_base.staffgroup.service import linked_staff, staff_group_chat

MAX_REPLY_CHARS = 3500  # the answer plus the citizen's question must fit one Telegram message
DRAFT_LEGAL_SOURCE = "Perlu dilengkapi petugas"
DRAFT_CATEGORY = "regulasi"


class Result(StrEnum):
    DONE = "done"
    NOT_STAFF = "not_staff"  # not a linked, active staff member: nothing changes
    CLOSED = "closed"  # answered or dismissed meanwhile
    NOT_ANSWERED = "not_answered"  # a draft needs the staff answer first
    TOO_LONG = "too_long"
    EMPTY = "empty"


@dataclass(frozen=True)
class StaffGroupContext:
    """What every step needs: the settings and the office details for citizens' notices."""

    settings: Settings
    office: Office


def post_escalation(
    session: Session, context: StaffGroupContext, question: UnansweredQuestion, category: str | None
) -> bool:
    """Post (or update) the question's card in the staff group, when there is one."""
    group = staff_group_chat(session, context.settings)
    if group is None:
        return False
    return queue_card(session, question, group=group, zone=context.settings.zone, category=category)


def _refresh_card(
    session: Session, context: StaffGroupContext, question: UnansweredQuestion
) -> None:
    group = staff_group_chat(session, context.settings)
    if group is not None:
        queue_card(session, question, group=group, zone=context.settings.zone)


def _staff_for(session: Session, telegram_user_id: int) -> StaffUser | None:
    return linked_staff(session, telegram_user_id)


def take(
    session: Session,
    context: StaffGroupContext,
    question: UnansweredQuestion,
    telegram_user_id: int,
) -> Result:
    """Assign the open question to the staff member who tapped *Ambil*."""
    staff = _staff_for(session, telegram_user_id)
    if staff is None:
        return Result.NOT_STAFF
    if question.status != UnansweredStatus.OPEN:
        return Result.CLOSED
    question.assigned_to_id = staff.id
    session.add(question)
    record_action(
        session,
        staff=staff,
        action="question.assign",
        resource_type="question",
        resource_id=question.id,
        detail={"staff_id": staff.id, "via": "telegram"},
    )
    _refresh_card(session, context, question)
    return Result.DONE


def answer_by_reply(
    session: Session,
    context: StaffGroupContext,
    question: UnansweredQuestion,
    telegram_user_id: int,
    text: str,
) -> Result:
    """The reply to the card goes to every asker through the outbox."""
    staff = _staff_for(session, telegram_user_id)
    if staff is None:
        return Result.NOT_STAFF
    text = text.strip()
    if not text:
        return Result.EMPTY
    if len(text) > MAX_REPLY_CHARS:
        return Result.TOO_LONG
    try:
        if question.status != UnansweredStatus.OPEN:
            raise QuestionClosed
        answer_question(session, question=question, staff=staff, text=text)
    except QuestionClosed:
        return Result.CLOSED
    record_action(
        session,
        staff=staff,
        action="question.answer",
        resource_type="question",
        resource_id=question.id,
        detail={"via": "telegram"},
    )
    _refresh_card(session, context, question)
    return Result.DONE


def dismiss_by_reply(
    session: Session,
    context: StaffGroupContext,
    question: UnansweredQuestion,
    telegram_user_id: int,
    reason: str,
) -> Result:
    """Close the question with the reason the askers are told."""
    staff = _staff_for(session, telegram_user_id)
    if staff is None:
        return Result.NOT_STAFF
    reason = reason.strip()
    if not reason:
        return Result.EMPTY
    if len(reason) > 500:
        return Result.TOO_LONG
    try:
        if question.status != UnansweredStatus.OPEN:
            raise QuestionClosed
        dismiss_question(
            session, question=question, staff=staff, reason=reason, office=context.office
        )
    except QuestionClosed:
        return Result.CLOSED
    record_action(
        session,
        staff=staff,
        action="question.dismiss",
        resource_type="question",
        resource_id=question.id,
        detail={"via": "telegram"},
    )
    _refresh_card(session, context, question)
    return Result.DONE


def draft_entry(
    session: Session,
    context: StaffGroupContext,
    question: UnansweredQuestion,
    telegram_user_id: int,
    category: str | None = None,
) -> tuple[Result, str | None]:
    """Turn the staff answer into a draft entry (its slug returned) for the console to finish:
    legal source and phrasings are completed there, and a colleague publishes it."""
    staff = _staff_for(session, telegram_user_id)
    if staff is None:
        return Result.NOT_STAFF, None
    if question.status != UnansweredStatus.ANSWERED or not question.staff_answer:
        return Result.NOT_ANSWERED, None
    if question.promoted_entry_id is not None:
        return Result.CLOSED, None
    slug = _free_slug(session, question)
    promote_to_new_entry(
        session,
        question=question,
        staff=staff,
        slug=slug,
        category=category or DRAFT_CATEGORY,
        canonical=_canonical(question.masked_text),
        legal_source=DRAFT_LEGAL_SOURCE,
        source_url=None,
    )
    record_action(
        session,
        staff=staff,
        action="question.promote",
        resource_type="question",
        resource_id=question.id,
        detail={"entry": slug, "via": "telegram"},
    )
    _refresh_card(session, context, question)
    return Result.DONE, slug


def _canonical(text: str) -> str:
    """The question as an entry's canonical wording (5–300 characters, first letter upper)."""
    text = " ".join(text.split())[:299]
    text = text[:1].upper() + text[1:]
    return text if len(text) >= 5 else f"{text} (pertanyaan warga)"


def _free_slug(session: Session, question: UnansweredQuestion) -> str:
    words = re.findall(r"[a-z0-9]+", question.normalised_text.lower())[:6]
    base = "-".join(words)[:60].strip("-") or "pertanyaan"
    slug = f"{base}-q{question.id}"
    number = 2
    while entry_by_slug(session, slug) is not None:
        slug = f"{base}-q{question.id}-{number}"
        number += 1
    return slug
