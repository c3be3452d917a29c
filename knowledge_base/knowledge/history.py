"""An entry's history as staff read it: each revision with what it changed, line by line,
against the revision before, and the record that restores an earlier revision's content."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from knowledge_base.knowledge.editing import checked_record
from knowledge_base.knowledge.entries import entry_by_slug, revisions
from knowledge_base.knowledge.models import EntryStatus, KnowledgeRevision
from knowledge_base.knowledge.records import EntryRecord

# Snapshot fields in the order a diff lists them.
DIFF_FIELDS = (
    "question",
    "phrasings",
    "answer",
    "legal_source",
    "source_url",
    "category",
    "dynamic",
    "status",
    "reviewed",
)
# Restoring a revision brings back what citizens read, never its status (see restored_record).
RESTORED_FIELDS = (
    "category",
    "question",
    "phrasings",
    "answer",
    "legal_source",
    "source_url",
    "dynamic",
    "reviewed",
)


@dataclass(frozen=True)
class DiffLine:
    """One line of a field: ``added``, ``removed`` or ``same`` as in the revision before."""

    kind: str
    text: str


@dataclass(frozen=True)
class FieldDiff:
    """How one field of the snapshot changed."""

    field: str
    lines: list[DiffLine]


@dataclass(frozen=True)
class RevisionChange:
    """A revision with its diff against the revision before it (all added for the first)."""

    revision: KnowledgeRevision
    diffs: list[FieldDiff]


def field_lines(snapshot: dict[str, Any] | None, field: str) -> list[str]:
    """A snapshot field as lines of text (phrasings one per line; empty for no value)."""
    value = (snapshot or {}).get(field)
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value).splitlines() or [""]


def line_diff(before: list[str], after: list[str]) -> list[DiffLine]:
    """``after`` against ``before``: unchanged lines kept, removed ones before added ones."""
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text) for text in before[a_start:a_end]]
            continue
        lines += [DiffLine("removed", text) for text in before[a_start:a_end]]
        lines += [DiffLine("added", text) for text in after[b_start:b_end]]
    return lines


def snapshot_diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[FieldDiff]:
    """The fields that differ between two snapshots, each as a line diff."""
    diffs = []
    for field in DIFF_FIELDS:
        old, new = field_lines(before, field), field_lines(after, field)
        if old != new:
            diffs.append(FieldDiff(field, line_diff(old, new)))
    return diffs


def entry_history(session: Session, slug: str) -> list[RevisionChange]:
    """Every revision of the entry with ``slug``, newest first, each with its diff."""
    changes = []
    previous: dict[str, Any] | None = None
    for revision in revisions(session, slug):
        changes.append(RevisionChange(revision, snapshot_diff(previous, revision.snapshot)))
        previous = revision.snapshot
    return changes[::-1]


def restored_record(session: Session, slug: str, version: int) -> EntryRecord | None:
    """The entry with the content of its revision ``version`` (``None`` when there is no such
    revision), for saving through the usual rules.

    The status stays the entry's own: restoring an older text of a published answer keeps it
    published, and a deleted entry comes back as a draft. Raises ``EntryInvalid`` when that
    content cannot have that status (a published entry needs its phrasings).
    """
    revision = next((r for r in revisions(session, slug) if r.version == version), None)
    if revision is None:
        return None
    entry = entry_by_slug(session, slug)
    status = entry.status if entry is not None else EntryStatus.DRAFT
    content = {name: revision.snapshot.get(name) for name in RESTORED_FIELDS}
    return checked_record({"id": slug, "status": status, **content})
