"""Staff edits to entries: the version check against overwriting a colleague's save, and the
four-eyes rule for what citizens see.

A draft records everyone who wrote or changed it (``editor_ids``); only someone else may
publish it, and publishing cannot change the text at the same time. A published entry stays
published when edited (fixing a date or a typo must not take the answer away from citizens);
every edit is a revision that can be rolled back, and audited by the caller.
"""

from __future__ import annotations

from sqlmodel import Session

from knowledge_base.knowledge.entries import entry_by_slug, entry_to_record, save_entry
from knowledge_base.knowledge.models import EntryStatus, KnowledgeEntry
from knowledge_base.knowledge.records import EntryRecord
from knowledge_base.staff.models import StaffUser

# Fields whose change is a change of what citizens read (not the status or review date).
CONTENT_FIELDS = (
    "category",
    "question",
    "phrasings",
    "answer",
    "legal_source",
    "source_url",
    "dynamic",
)


class EditConflict(Exception):
    """Someone saved the entry after the editor opened it."""

    def __init__(self, entry: KnowledgeEntry) -> None:
        super().__init__(
            f"Entri ini sudah diubah orang lain (versi {entry.version}) sejak Anda membukanya. "
            "Muat ulang untuk melihat perubahannya, lalu simpan lagi."
        )
        self.current_version = entry.version


class PublishRefused(Exception):
    """The four-eyes rule: the writer of a draft cannot publish it."""


def content_changes(entry: KnowledgeEntry | None, record: EntryRecord) -> list[str]:
    """The content fields ``record`` changes (all of them for a new entry)."""
    if entry is None:
        return list(CONTENT_FIELDS)
    current = entry_to_record(entry)
    return [name for name in CONTENT_FIELDS if getattr(current, name) != getattr(record, name)]


def check_publish(entry: KnowledgeEntry | None, record: EntryRecord, staff: StaffUser) -> None:
    """Raise ``PublishRefused`` when this save would publish a draft without a second person."""
    publishing = record.status == EntryStatus.PUBLISHED and (
        entry is None or entry.status != EntryStatus.PUBLISHED
    )
    if not publishing:
        return
    if entry is None:
        raise PublishRefused(
            "Entri baru disimpan sebagai draf dulu; petugas lain yang menerbitkannya."
        )
    if content_changes(entry, record):
        raise PublishRefused(
            "Simpan perubahan sebagai draf dulu; petugas lain yang memeriksa dan menerbitkannya."
        )
    if staff.id in entry.editor_ids:
        raise PublishRefused(
            "Draf ini Anda tulis atau ubah sendiri: petugas lain yang harus menerbitkannya."
        )


def save_entry_as(
    session: Session,
    record: EntryRecord,
    *,
    staff: StaffUser,
    summary: str,
    expected_version: int | None = None,
) -> tuple[KnowledgeEntry, list[str]]:
    """Save a staff member's edit with the version check and the four-eyes rule; returns the
    entry and the changed fields. Nothing is committed."""
    entry = entry_by_slug(session, record.id)
    if entry is not None and expected_version is not None and entry.version != expected_version:
        raise EditConflict(entry)
    check_publish(entry, record, staff)
    was_published = entry is not None and entry.status == EntryStatus.PUBLISHED
    wrote = bool(content_changes(entry, record))
    saved, changed = save_entry(session, record, changed_by=staff.username, summary=summary)
    if record.status == EntryStatus.PUBLISHED and not was_published:
        saved.published_by_id = staff.id
        saved.editor_ids = []
    elif record.status == EntryStatus.DRAFT and wrote and staff.id not in saved.editor_ids:
        saved.editor_ids = [*saved.editor_ids, staff.id]
    session.add(saved)
    return saved, changed
