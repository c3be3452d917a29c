"""Staff follow-up of questions the bot could not answer: list, answer, dismiss, promote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from knowledge_base.importer import bump_knowledge_version, entry_to_record, save_entry
from knowledge_base.messaging import Messenger
from knowledge_base.models import (
    Chat,
    KnowledgeEntry,
    ReplyStatus,
    StaffUser,
    UnansweredAsker,
    UnansweredQuestion,
    UnansweredStatus,
    utcnow,
)
from knowledge_base.privacy import mask_personal_data
from knowledge_base.records import EntryRecord


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


async def answer_question(
    session: Session,
    *,
    question: UnansweredQuestion,
    staff: StaffUser,
    text: str,
    messenger: Messenger | None,
    format_reply: Callable[[str, str], str],
) -> list[UnansweredAsker]:
    """Mark answered and send the reply to every asker, recording each outcome."""
    question.status = UnansweredStatus.ANSWERED
    question.staff_answer = text
    question.answered_by_id = staff.id
    question.answered_at = utcnow()
    session.add(question)
    results = []
    for asker, chat in askers(session, question):
        if messenger is None:
            asker.reply_status, asker.reply_error = ReplyStatus.FAILED, "bot not configured"
        else:
            outcome = await messenger.send_text(
                chat.telegram_chat_id, format_reply(asker.masked_text, text)
            )
            asker.reply_status, asker.reply_error = outcome.status, outcome.error
            if outcome.status == ReplyStatus.BLOCKED:
                chat.blocked = True
                chat.subscribed = False
                session.add(chat)
        if asker.reply_status == ReplyStatus.SENT:
            asker.replied_at = utcnow()
        session.add(asker)
        results.append(asker)
    return results


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


def dismiss_question(
    session: Session, *, question: UnansweredQuestion, staff: StaffUser, reason: str
) -> None:
    """Close a question without an answer, keeping the reason."""
    question.status = UnansweredStatus.DISMISSED
    question.dismiss_reason = reason
    question.answered_by_id = staff.id
    question.answered_at = utcnow()
    session.add(question)


def promote_to_new_entry(
    session: Session,
    *,
    question: UnansweredQuestion,
    staff: StaffUser,
    slug: str,
    category: str,
    canonical: str,
    legal_source: str,
    source_url: str | None,
) -> KnowledgeEntry:
    """A new published entry from the staff answer; the askers' questions become phrasings."""
    phrasings = _distinct(
        [question.masked_text] + [a.masked_text for a, _ in askers(session, question)]
    )
    while len(phrasings) < 5:  # the content rules ask for five; repeat the canonical wording
        phrasings.append(f"{canonical} ({len(phrasings) + 1})")
    record = EntryRecord(
        id=slug,
        category=category,
        question=canonical,
        phrasings=phrasings,
        answer=question.staff_answer or "",
        legal_source=legal_source,
        source_url=source_url,
        reviewed=date.today(),
    )
    entry, _changed = save_entry(session, record, changed_by=staff.username, summary="promoted")
    question.promoted_entry_id = entry.id
    session.add(question)
    bump_knowledge_version(session)
    return entry


def promote_into_entry(
    session: Session, *, question: UnansweredQuestion, staff: StaffUser, entry: KnowledgeEntry
) -> KnowledgeEntry:
    """Add the askers' questions as phrasings of an existing entry."""
    record = entry_to_record(entry)
    extra = [question.masked_text] + [a.masked_text for a, _ in askers(session, question)]
    record = record.model_copy(update={"phrasings": _distinct([*record.phrasings, *extra])})
    saved, _changed = save_entry(session, record, changed_by=staff.username, summary="promoted")
    question.promoted_entry_id = saved.id
    session.add(question)
    bump_knowledge_version(session)
    return saved


def _distinct(texts: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for text in texts:
        # Masked again: rows stored before the masker learned a grouping must not carry a
        # NIK into published phrasings, where erasure cannot reach it.
        text = mask_personal_data(text).strip()
        seen.setdefault(text.casefold(), text)
    return [t for t in seen.values() if t]
