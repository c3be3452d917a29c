"""Finding entries for staff: text search over question, phrasings and answer, a category
filter, pages of results, and the drafts waiting for a given reviewer (four eyes)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from sqlalchemy import Text, cast
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, or_, select

from knowledge_base.knowledge.models import EntryStatus, KnowledgeEntry

PAGE_SIZE = 25


@dataclass(frozen=True)
class EntryPage:
    """One page of the entries matching a search, newest change first."""

    entries: list[KnowledgeEntry]
    total: int
    page: int
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        """How many pages the matches fill (at least one, even when empty)."""
        return max(1, math.ceil(self.total / self.page_size))


def _contains(text: str) -> ColumnElement[bool]:
    needle = text.strip().lower()
    # Phrasings are stored as JSON text: search it spelled the way the JSON encoder wrote it.
    encoded = json.dumps(needle)[1:-1]
    return or_(
        func.lower(KnowledgeEntry.question).contains(needle, autoescape=True),
        func.lower(KnowledgeEntry.answer).contains(needle, autoescape=True),
        func.lower(cast(KnowledgeEntry.phrasings, Text)).contains(encoded, autoescape=True),
    )


def search_entries(
    session: Session,
    *,
    text: str = "",
    category: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> EntryPage:
    """Entries whose question, phrasings or answer contain ``text`` (any case), in
    ``category`` when given; ``page`` counts from 1 and is kept within the pages there are."""
    query = select(KnowledgeEntry)
    if text.strip():
        query = query.where(_contains(text))
    if category:
        query = query.where(KnowledgeEntry.category == category)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = min(max(page, 1), max(1, math.ceil(total / page_size)))
    rows = session.exec(
        query.order_by(col(KnowledgeEntry.updated_at).desc(), col(KnowledgeEntry.slug))
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return EntryPage(list(rows), total, page, page_size)


def awaiting_review(session: Session, staff_id: int | None) -> list[KnowledgeEntry]:
    """Drafts that ``staff_id`` neither wrote nor changed, so may publish, oldest first."""
    drafts = session.exec(
        select(KnowledgeEntry)
        .where(KnowledgeEntry.status == EntryStatus.DRAFT)
        .order_by(col(KnowledgeEntry.updated_at), col(KnowledgeEntry.slug))
    ).all()
    return [entry for entry in drafts if staff_id not in entry.editor_ids]


def category_choices(session: Session, labels: dict[str, str]) -> list[tuple[str, str]]:
    """Every category an entry may be filed under: the office's labelled ones, then any other
    category entries already use, as ``(id, label)`` pairs."""
    used = session.exec(select(KnowledgeEntry.category).distinct()).all()
    unlabelled = sorted(set(used) - set(labels))
    return [*labels.items(), *((category, category) for category in unlabelled)]
