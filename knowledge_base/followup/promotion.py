"""Staff answers that become knowledge: a new *draft* entry from a question (a second staff
member publishes it, see ``knowledge.publishing``), or its askers' wordings added as phrasings
of an existing entry."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from knowledge_base.answering.privacy import mask_personal_data
from knowledge_base.followup.inbox import askers
from knowledge_base.followup.models import UnansweredQuestion
from knowledge_base.knowledge.entries import bump_knowledge_version, entry_to_record, save_entry
from knowledge_base.knowledge.models import EntryStatus, KnowledgeEntry
from knowledge_base.knowledge.records import EntryRecord
from knowledge_base.staff.models import StaffUser


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
    """A new draft entry from the staff answer; the askers' questions (masked, each once)
    become its phrasings, and the promoter is one of the editors who may not publish it."""
    phrasings = _distinct(
        [question.masked_text] + [a.masked_text for a, _ in askers(session, question)]
    )
    record = EntryRecord(
        id=slug,
        category=category,
        question=canonical,
        phrasings=phrasings,
        answer=question.staff_answer or "",
        legal_source=legal_source,
        source_url=source_url,
        reviewed=date.today(),
        status=EntryStatus.DRAFT,
    )
    entry, _changed = save_entry(session, record, changed_by=staff.username, summary="promoted")
    entry.editor_ids = [staff.id]
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
