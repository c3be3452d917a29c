"""Plain functions on the database for what happens in a conversation with a citizen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlalchemy import delete, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from knowledge_base.answering.engine import Reply
from knowledge_base.answering.privacy import mask_personal_data
from knowledge_base.conversations.models import Chat, QuestionLog
from knowledge_base.core.columns import utcnow
from knowledge_base.followup.models import UnansweredAsker, UnansweredQuestion, UnansweredStatus
from knowledge_base.knowledge.entries import entry_by_slug
from knowledge_base.knowledge.office_calendar import OfficeCalendar
from knowledge_base.outbox.models import OutboxMessage

ESCALATION_LOCK = 7_312_025  # advisory lock key (the scheduler's is 7_312_024)


def touch_chat(session: Session, *, telegram_chat_id: int, kind: str) -> Chat:
    """The chat record for ``telegram_chat_id``, created on first contact; marks it seen.

    Two processes (or two updates) meeting a new chat at once both insert it: the insert skips
    a row that exists, so neither fails on the unique chat id.
    """
    now = utcnow()
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(Chat)
        .values(
            telegram_chat_id=telegram_chat_id,
            kind=kind,
            first_seen_at=now,
            last_seen_at=now,
            subscribed=False,
            subscription_areas=[],
            blocked=False,
            language="id",
        )
        .on_conflict_do_nothing(index_elements=["telegram_chat_id"])
    )
    chat = session.exec(select(Chat).where(Chat.telegram_chat_id == telegram_chat_id)).one()
    chat.last_seen_at = now
    chat.blocked = False
    session.add(chat)
    session.flush()
    return chat


def mark_blocked(session: Session, *, telegram_chat_id: int) -> bool:
    """The chat refused a message (blocked the bot, left the group, deactivated): it is
    unsubscribed and marked blocked until it writes again. The one place of this rule."""
    result = session.exec(
        update(Chat)
        .where(Chat.telegram_chat_id == telegram_chat_id)
        .values(blocked=True, subscribed=False)
    )
    return bool(result.rowcount)


def set_subscription(
    session: Session, *, chat: Chat, subscribed: bool, areas: list[str], by_user: int | None
) -> Chat:
    """Subscribe (to ``areas``; empty means all) or unsubscribe a chat."""
    chat.subscribed = subscribed
    chat.subscription_areas = list(areas)
    chat.subscribed_by_user_id = by_user if subscribed else None
    chat.subscribed_at = utcnow() if subscribed else None
    session.add(chat)
    return chat


def entry_pk(session: Session, slug: str | None) -> int | None:
    """The database id of the entry with ``slug``."""
    if slug is None:
        return None
    entry = entry_by_slug(session, slug)
    return entry.id if entry is not None else None


def log_question(
    session: Session,
    *,
    chat: Chat | None,
    reply: Reply,
    latency_ms: float,
    channel: str = "telegram",
) -> QuestionLog:
    """Record one question (already masked) with the engine's decision."""
    log = QuestionLog(
        chat_id=chat.id if chat else None,
        masked_text=reply.question,
        normalised_text=reply.normalised,
        outcome=str(reply.outcome),
        entry_id=entry_pk(session, reply.entry_id),
        score=reply.score,
        latency_ms=latency_ms,
        channel=channel,
    )
    session.add(log)
    session.flush()
    return log


def record_feedback(
    session: Session, *, log_id: int, chat: Chat, helpful: bool
) -> QuestionLog | None:
    """Store a citizen's helpful/not-helpful vote on one of their own answers; ``None`` when
    the answer is not theirs or was already rated (a replayed tap must not escalate again)."""
    log = session.get(QuestionLog, log_id)
    if log is None or log.chat_id != chat.id or log.feedback is not None:
        return None
    log.feedback = "helpful" if helpful else "not_helpful"
    session.add(log)
    return log


def escalate(
    session: Session,
    *,
    chat: Chat,
    masked_text: str,
    normalised_text: str,
    similarity: float,
    due_in_working_days: int,
    calendar: OfficeCalendar,
) -> UnansweredQuestion:
    """Join the open question at least ``similarity`` alike, or open a new one (due in
    ``due_in_working_days`` of the office's working days); add the asker."""
    _one_escalation_at_a_time(session)
    open_questions = session.exec(
        select(UnansweredQuestion).where(UnansweredQuestion.status == UnansweredStatus.OPEN)
    ).all()
    question = most_similar(normalised_text, open_questions, threshold=similarity)
    now = utcnow()
    if question is None:
        question = UnansweredQuestion(
            masked_text=masked_text,
            normalised_text=normalised_text,
            ask_count=0,
            first_asked_at=now,
            due_at=calendar.working_days_later(now, due_in_working_days),
        )
        session.add(question)
        session.flush()
    existing = session.exec(
        select(UnansweredAsker).where(
            UnansweredAsker.question_id == question.id, UnansweredAsker.chat_id == chat.id
        )
    ).first()
    if existing is None:
        session.add(
            UnansweredAsker(question_id=question.id, chat_id=chat.id, masked_text=masked_text)
        )
    question.ask_count += 1
    question.last_asked_at = now
    session.add(question)
    session.flush()
    return question


def _one_escalation_at_a_time(session: Session) -> None:
    """On PostgreSQL, escalations in several processes take turns until they commit, so two
    citizens asking the same new question at once join one question, not two."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ESCALATION_LOCK})


def most_similar(
    normalised: str, questions: Sequence[UnansweredQuestion], *, threshold: float
) -> UnansweredQuestion | None:
    """The open question closest to ``normalised``, if at least ``threshold`` similar."""
    if not questions or not normalised:
        return None
    best = process.extractOne(
        normalised,
        [q.normalised_text for q in questions],
        scorer=fuzz.token_sort_ratio,
        score_cutoff=threshold,
    )
    return questions[best[2]] if best else None


def erase_chat(session: Session, *, telegram_chat_id: int) -> bool:
    """Forget a citizen (UU 27/2022): their chat, subscription, question texts and asker links.

    Their logged questions lose the link and their texts; outcome, time and feedback stay, so
    the published counts do not change. Questions waiting for staff lose them as an asker but
    stay with their anonymous ask count, so staff work and the other askers' replies survive;
    their wording (the first asker's) is masked again, which also hides identifiers stored
    before the masker caught every format. Messages still queued for them in the outbox (they
    quote the question) and their delivery records go with the chat.
    """
    chat = session.exec(select(Chat).where(Chat.telegram_chat_id == telegram_chat_id)).first()
    if chat is None:
        return False
    session.exec(
        update(QuestionLog)
        .where(QuestionLog.chat_id == chat.id)
        .values(chat_id=None, masked_text="", normalised_text="")
    )
    _remask_questions_asked_by(session, chat)
    session.exec(delete(UnansweredAsker).where(UnansweredAsker.chat_id == chat.id))
    session.exec(delete(OutboxMessage).where(OutboxMessage.chat_id == chat.id))
    session.delete(chat)
    session.flush()
    return True


def _remask_questions_asked_by(session: Session, chat: Chat) -> None:
    # A merged question's wording may be this chat's too: its askers moved to the target.
    asked = select(UnansweredAsker.question_id).where(UnansweredAsker.chat_id == chat.id)
    questions = session.exec(
        select(UnansweredQuestion).where(
            col(UnansweredQuestion.id).in_(asked)
            | col(UnansweredQuestion.merged_into_id).in_(asked)
        )
    ).all()
    for question in questions:
        question.masked_text = mask_personal_data(question.masked_text)
        question.normalised_text = mask_personal_data(question.normalised_text)
        session.add(question)


def purge_old_questions(session: Session, *, older_than: datetime) -> int:
    """Delete logged questions asked before ``older_than`` (the retention promised to citizens)."""
    result = session.exec(delete(QuestionLog).where(QuestionLog.asked_at < older_than))
    return result.rowcount or 0
