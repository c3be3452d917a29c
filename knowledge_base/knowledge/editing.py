"""What a staff member types into an entry's form, turned into a checked record.

Personal data (NIK, phone numbers, e-mail) typed into the question, the phrasings or the
answer is masked before anything is stored, and every problem is named per field in
Indonesian, so the form can be shown again with the text kept and the reason beside it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlmodel import Session, select

from knowledge_base.answering.privacy import mask_personal_data
from knowledge_base.knowledge.entries import entry_by_slug, entry_to_record
from knowledge_base.knowledge.models import EntryStatus, KnowledgeEntry, KnowledgeRevision
from knowledge_base.knowledge.records import (
    MAX_ANSWER_CHARS,
    MIN_PHRASINGS,
    PLACEHOLDERS,
    EntryRecord,
)

MAX_SLUG_CHARS = 60
ALLOWED_PLACEHOLDERS = ", ".join("{" + name + "}" for name in sorted(PLACEHOLDERS))
PROBLEMS = {
    "question": "Pertanyaan harus terdiri atas 5 sampai 300 karakter.",
    "phrasings_missing": "Tuliskan paling sedikit satu rumusan pertanyaan warga.",
    "phrasings_few": (
        "Entri yang terbit memerlukan paling sedikit {need} rumusan pertanyaan warga "
        "(saat ini {have})."
    ),
    "phrasings_twice": "Setiap rumusan harus berbeda. Rumusan ini tertulis lebih dari sekali: {same}.",
    "phrasings_long": "Setiap rumusan paling banyak 300 karakter.",
    "answer": f"Jawaban harus terdiri atas 10 sampai {MAX_ANSWER_CHARS} karakter (saat ini {{have}}).",
    "answer_placeholder": (
        f"Jawaban memuat penanda yang tidak dikenal. Penanda yang dapat dipakai: "
        f"{ALLOWED_PLACEHOLDERS}."
    ),
    "legal_source": 'Tuliskan dasar hukum jawaban ini, misalnya "PKPU 7 Tahun 2022".',
    "source_url": "Tautan harus diawali http:// atau https:// dan tidak memuat spasi.",
    "category": "Pilih kategori entri.",
    "other": "Isian ini belum benar. Silakan periksa kembali.",
}


@dataclass(frozen=True)
class EntryDraft:
    """The entry form as typed: phrasings one per line, empty strings for empty fields."""

    question: str = ""
    phrasings: str = ""
    answer: str = ""
    legal_source: str = ""
    source_url: str = ""
    category: str = ""

    @classmethod
    def of(cls, entry: KnowledgeEntry) -> EntryDraft:
        """The form filled with a stored entry."""
        return cls(
            question=entry.question,
            phrasings="\n".join(entry.phrasings),
            answer=entry.answer,
            legal_source=entry.legal_source,
            source_url=entry.source_url or "",
            category=entry.category,
        )

    def phrasing_lines(self) -> list[str]:
        """The phrasings, one per non-empty line, masked and trimmed."""
        lines = (mask_personal_data(line).strip() for line in self.phrasings.splitlines())
        return [line for line in lines if line]

    def fields(self, *, slug: str, status: str, reviewed: date, dynamic: str | None) -> dict:
        """The record's fields, with personal data masked."""
        return {
            "id": slug,
            "category": self.category.strip(),
            "status": status,
            "question": mask_personal_data(self.question).strip(),
            "phrasings": self.phrasing_lines(),
            "answer": mask_personal_data(self.answer).strip(),
            "legal_source": self.legal_source.strip(),
            "source_url": self.source_url.strip() or None,
            "reviewed": reviewed,
            "dynamic": dynamic,
        }


class EntryInvalid(Exception):
    """The form cannot be saved; ``problems`` maps each field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def build_record(
    draft: EntryDraft, *, slug: str, status: str, reviewed: date, dynamic: str | None = None
) -> EntryRecord:
    """The checked, masked record of ``draft``, or ``EntryInvalid`` naming every problem."""
    fields = draft.fields(slug=slug, status=status, reviewed=reviewed, dynamic=dynamic)
    return checked_record(fields)


def checked_record(fields: dict) -> EntryRecord:
    """``EntryRecord`` of ``fields``, or ``EntryInvalid`` with Indonesian problems per field."""
    problems: dict[str, str] = {}
    try:
        record = EntryRecord.model_validate(fields)
    except ValidationError as error:
        for detail in error.errors():
            field = str(detail["loc"][0]) if detail["loc"] else "other"
            problems.setdefault(field, _problem(field, detail, fields))
    else:
        return record
    phrasings = _phrasings_problem(fields.get("phrasings") or [], fields.get("status", ""))
    if phrasings:
        problems["phrasings"] = phrasings
    raise EntryInvalid(problems)


def preview_record(
    draft: EntryDraft, *, slug: str, reviewed: date, dynamic: str | None
) -> EntryRecord:
    """The masked record as typed, unchecked: enough to show how its answer reads."""
    fields = draft.fields(slug=slug, status=EntryStatus.DRAFT, reviewed=reviewed, dynamic=dynamic)
    return EntryRecord.model_construct(**fields)


def record_with_status(entry: KnowledgeEntry, status: str) -> EntryRecord:
    """The entry unchanged but for its status (publishing, or taking it back to draft);
    ``EntryInvalid`` when it cannot have that status (too few phrasings to publish)."""
    fields = entry_to_record(entry).model_dump()
    return checked_record({**fields, "status": status})


def _phrasings_problem(phrasings: list[str], status: str) -> str | None:
    if not phrasings:
        return PROBLEMS["phrasings_missing"]
    seen: set[str] = set()
    for phrasing in phrasings:
        if phrasing.casefold() in seen:
            return PROBLEMS["phrasings_twice"].format(same=phrasing)
        seen.add(phrasing.casefold())
    if any(len(phrasing) > 300 for phrasing in phrasings):
        return PROBLEMS["phrasings_long"]
    if status == EntryStatus.PUBLISHED and len(phrasings) < MIN_PHRASINGS:
        return PROBLEMS["phrasings_few"].format(need=MIN_PHRASINGS, have=len(phrasings))
    return None


def _problem(field: str, detail: ErrorDetails, fields: dict) -> str:
    if field == "answer":
        if detail["type"] == "value_error":
            return PROBLEMS["answer_placeholder"]
        return PROBLEMS["answer"].format(have=len(fields.get("answer") or ""))
    return PROBLEMS.get(field, PROBLEMS["other"])


def _slug_words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def new_slug(session: Session, question: str) -> str:
    """A public id for a new entry, made from its (masked) question and used by no entry,
    present or deleted (a deleted entry's history keeps its id)."""
    base = ""
    for word in _slug_words(mask_personal_data(question)):
        longer = f"{base}-{word}" if base else word
        if len(longer) > MAX_SLUG_CHARS:
            break
        base = longer
    base = base or "entri"
    slug, number = base, 1
    while _slug_taken(session, slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def _slug_taken(session: Session, slug: str) -> bool:
    if entry_by_slug(session, slug) is not None:
        return True
    query = select(KnowledgeRevision.id).where(KnowledgeRevision.slug == slug).limit(1)
    return session.exec(query).first() is not None
