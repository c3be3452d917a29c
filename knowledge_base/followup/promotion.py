"""Staff answers that become knowledge: a new *draft* entry from a question (a second staff
member publishes it, see ``knowledge.publishing``), or its askers' wordings added as phrasings
of an existing entry."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import date

from pydantic import ValidationError
from sqlmodel import Session

from knowledge_base.answering.privacy import mask_personal_data
from knowledge_base.followup.inbox import askers
from knowledge_base.followup.models import UnansweredQuestion
from knowledge_base.knowledge.entries import (
    bump_knowledge_version,
    entry_by_slug,
    entry_to_record,
    save_entry,
)
from knowledge_base.knowledge.models import EntryStatus, KnowledgeEntry
from knowledge_base.knowledge.records import EntryRecord
from knowledge_base.staff.models import StaffUser

# EntryRecord's field names as the promotion form names them.
_FORM_FIELDS = {"id": "slug"}


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
    record = _draft_record(
        session,
        question,
        slug=slug,
        category=category,
        canonical=canonical,
        legal_source=legal_source,
        source_url=source_url,
    )
    entry, _changed = save_entry(session, record, changed_by=staff.username, summary="promoted")
    entry.editor_ids = [staff.id]
    question.promoted_entry_id = entry.id
    session.add(question)
    bump_knowledge_version(session)
    return entry


def new_entry_problems(
    session: Session,
    *,
    question: UnansweredQuestion,
    categories: Collection[str],
    slug: str,
    category: str,
    canonical: str,
    legal_source: str,
    source_url: str | None,
) -> set[str]:
    """What stops ``promote_to_new_entry`` with these values: the names of wrong fields
    (``slug``, ``category``, ``question``, ``legal_source``, ``source_url``), ``slug_taken``,
    or ``answer``/``phrasings`` when the staff answer or an asker's wording cannot be part of
    an entry. ``categories`` are the office's categories; empty when nothing stops it."""
    problems: set[str] = set()
    try:
        _draft_record(
            session,
            question,
            slug=slug,
            category=category,
            canonical=canonical,
            legal_source=legal_source,
            source_url=source_url,
        )
    except ValidationError as exc:
        fields = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        problems = {_FORM_FIELDS.get(name, name) for name in fields}
    if category not in categories:
        problems.add("category")
    if "slug" not in problems and entry_by_slug(session, slug) is not None:
        problems.add("slug_taken")
    return problems


def _draft_record(
    session: Session,
    question: UnansweredQuestion,
    *,
    slug: str,
    category: str,
    canonical: str,
    legal_source: str,
    source_url: str | None,
) -> EntryRecord:
    phrasings = _distinct(
        [question.masked_text] + [a.masked_text for a, _ in askers(session, question)]
    )
    return EntryRecord(
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


def suggested_slug(question: str, *, max_words: int = 6, max_chars: int = 60) -> str:
    """An entry id proposed for ``question``: its first words, lowercase ASCII, joined by
    hyphens ("kapan-logistik-pemilu-dimusnahkan")."""
    folded = unicodedata.normalize("NFKD", question).encode("ascii", "ignore").decode()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", folded.lower())[:max_words]:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > max_chars:
            break
        slug = longer
    return slug or "pertanyaan-warga"


def suggested_canonical_question(question: str) -> str:
    """``question`` as an entry's canonical question: one line, a capital, a question mark."""
    text = " ".join(question.split()).rstrip(" .,!?")
    return f"{text[:1].upper()}{text[1:]}?" if text else ""


def _distinct(texts: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for text in texts:
        # Masked again: rows stored before the masker learned a grouping must not carry a
        # NIK into published phrasings, where erasure cannot reach it.
        text = mask_personal_data(text).strip()
        seen.setdefault(text.casefold(), text)
    return [t for t in seen.values() if t]
