"""Move curated content between YAML records and the database, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.core.columns import utcnow
from knowledge_base.knowledge.content_files import DEFAULT_CONTENT_DIR, ContentError, read_content
from knowledge_base.knowledge.models import (
    ElectionStage,
    KnowledgeBaseState,
    KnowledgeEntry,
    KnowledgeRevision,
)
from knowledge_base.knowledge.records import EntryRecord, StageRecord

PENDING_ANNOUNCEMENT_STATUSES = (
    AnnouncementStatus.DRAFT,
    AnnouncementStatus.AWAITING_APPROVAL,
    AnnouncementStatus.SCHEDULED,
    AnnouncementStatus.SENDING,
)
_ENTRY_FIELDS = (
    "category",
    "question",
    "phrasings",
    "answer",
    "legal_source",
    "source_url",
    "dynamic",
    "status",
)


@dataclass(frozen=True)
class ImportReport:
    """How many records an import created, changed and left alone."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stages_created: int = 0
    stages_updated: int = 0


def entry_to_record(entry: KnowledgeEntry) -> EntryRecord:
    """The curated form of a stored entry."""
    return EntryRecord(
        id=entry.slug,
        category=entry.category,
        question=entry.question,
        phrasings=list(entry.phrasings),
        answer=entry.answer,
        legal_source=entry.legal_source,
        source_url=entry.source_url,
        reviewed=entry.reviewed_on,
        dynamic=entry.dynamic,
        status=entry.status,
    )


def stage_to_record(stage: ElectionStage) -> StageRecord:
    """The curated form of a stored stage."""
    return StageRecord(
        election=stage.election,
        stage=stage.stage,
        start=stage.starts_on,
        end=stage.ends_on,
        description=stage.description,
        legal_source=stage.legal_source,
    )


def bump_knowledge_version(session: Session) -> int:
    """Record that content changed, so every running process reloads its matcher."""
    state = session.get(KnowledgeBaseState, 1)
    if state is None:
        state = KnowledgeBaseState(id=1, version=0)
    state.version += 1
    state.updated_at = utcnow()
    session.add(state)
    return state.version


def knowledge_version(session: Session) -> int:
    """The current content version (0 before any content was loaded)."""
    state = session.get(KnowledgeBaseState, 1)
    return state.version if state else 0


def _changed_fields(entry: KnowledgeEntry, record: EntryRecord) -> list[str]:
    changed = [name for name in _ENTRY_FIELDS if getattr(entry, name) != getattr(record, name)]
    if entry.reviewed_on != record.reviewed:
        changed.append("reviewed")
    return changed


def entry_by_slug(session: Session, slug: str) -> KnowledgeEntry | None:
    """The entry whose public id is ``slug``, whatever its status."""
    return session.exec(select(KnowledgeEntry).where(KnowledgeEntry.slug == slug)).first()


def save_entry(
    session: Session, record: EntryRecord, *, changed_by: str | None, summary: str
) -> tuple[KnowledgeEntry, list[str]]:
    """Create or update one entry, writing a revision when anything changed."""
    entry = entry_by_slug(session, record.id)
    if entry is None:
        entry = KnowledgeEntry(slug=record.id, reviewed_on=record.reviewed, **_fields(record))
        changed = ["created"]
    else:
        changed = _changed_fields(entry, record)
        if not changed:
            return entry, []
        for name, value in _fields(record).items():
            setattr(entry, name, value)
        entry.reviewed_on = record.reviewed
        entry.version += 1
        entry.updated_at = utcnow()
    session.add(entry)
    session.flush()
    session.add(
        KnowledgeRevision(
            entry_id=entry.id,
            slug=entry.slug,
            version=entry.version,
            snapshot=record.model_dump(mode="json"),
            changed_fields=changed,
            changed_by=changed_by,
            summary=summary,
        )
    )
    return entry, changed


def delete_entry(session: Session, *, entry: KnowledgeEntry, changed_by: str | None) -> None:
    """Remove an entry; its history stays (revisions keep the slug and a final snapshot)."""
    session.add(
        KnowledgeRevision(
            entry_id=None,
            slug=entry.slug,
            version=entry.version + 1,
            snapshot=entry_to_record(entry).model_dump(mode="json"),
            changed_fields=["deleted"],
            changed_by=changed_by,
            summary="deleted",
        )
    )
    session.delete(entry)
    bump_knowledge_version(session)


def revisions(session: Session, slug: str) -> list[KnowledgeRevision]:
    """Every revision of the entry with ``slug``, oldest first."""
    return list(
        session.exec(
            select(KnowledgeRevision)
            .where(KnowledgeRevision.slug == slug)
            .order_by(KnowledgeRevision.version, KnowledgeRevision.id)
        ).all()
    )


def _fields(record: EntryRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in _ENTRY_FIELDS}


def _save_stage(session: Session, record: StageRecord) -> str | None:
    stage = session.exec(
        select(ElectionStage).where(
            ElectionStage.election == record.election, ElectionStage.stage == record.stage
        )
    ).first()
    if stage is not None and stage_to_record(stage) == record:
        return None
    created = stage is None
    stage = stage or ElectionStage(
        election=record.election, stage=record.stage, starts_on=record.start, ends_on=record.end
    )
    stage.starts_on, stage.ends_on = record.start, record.end
    stage.description, stage.legal_source = record.description, record.legal_source
    session.add(stage)
    return "created" if created else "updated"


def import_records(
    session: Session,
    entries: list[EntryRecord],
    stages: list[StageRecord],
    *,
    changed_by: str | None = None,
    summary: str = "import",
) -> ImportReport:
    """Upsert entries (by id) and stages (by election and name); the caller commits."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for record in entries:
        _entry, changed = save_entry(session, record, changed_by=changed_by, summary=summary)
        key = "created" if changed == ["created"] else "updated" if changed else "unchanged"
        counts[key] += 1
    stage_results = [_save_stage(session, record) for record in stages]
    report = ImportReport(
        **counts,
        stages_created=stage_results.count("created"),
        stages_updated=stage_results.count("updated"),
    )
    if report.created or report.updated or report.stages_created or report.stages_updated:
        bump_knowledge_version(session)
    return report


def import_path(session: Session, target: Path, *, changed_by: str | None = None) -> ImportReport:
    """Validate every record under ``target`` and import them all, or raise ``ContentError``."""
    bundle = read_content(target)
    if bundle.problems:
        raise ContentError(bundle.problems)
    return import_records(
        session, bundle.entries, bundle.stages, changed_by=changed_by, summary=f"import {target}"
    )


def stored_stages(session: Session) -> list[ElectionStage]:
    """Every stage, in date order."""
    query = select(ElectionStage).order_by(ElectionStage.starts_on, ElectionStage.id)
    return list(session.exec(query).all())


def export_records(session: Session) -> tuple[list[EntryRecord], list[StageRecord]]:
    """Every stored entry and stage in curated form, in a stable order."""
    entries = session.exec(select(KnowledgeEntry).order_by(KnowledgeEntry.slug)).all()
    return [entry_to_record(e) for e in entries], [
        stage_to_record(s) for s in stored_stages(session)
    ]


def seed_if_empty(session: Session, content_dir: Path = DEFAULT_CONTENT_DIR) -> ImportReport | None:
    """Load the curated content into a database that has no entries yet."""
    if session.exec(select(KnowledgeEntry.id).limit(1)).first() is not None:
        return None
    return import_path(session, content_dir, changed_by=None)


class StageInUse(Exception):
    """A stage that pending announcements are timed from cannot be deleted (``args[0]`` is
    the first such announcement's id)."""

    @property
    def message(self) -> str:
        """Why the stage stays, for staff."""
        return (
            f"Tahapan ini dipakai pengumuman #{self.args[0]} yang belum dikirim; "
            "ubah atau batalkan pengumuman itu terlebih dahulu."
        )


def delete_stage(session: Session, *, stage_id: int) -> ElectionStage | None:
    """Delete a stage (``None`` when it does not exist); the caller commits.

    Refused while an announcement that has not gone out yet is timed from it, because the
    announcement would lose its send time.
    """
    stage = session.get(ElectionStage, stage_id)
    if stage is None:
        return None
    waiting = session.exec(
        select(Announcement.id).where(
            Announcement.stage_id == stage_id,
            col(Announcement.status).in_(list(PENDING_ANNOUNCEMENT_STATUSES)),
        )
    ).first()
    if waiting is not None:
        raise StageInUse(waiting)
    session.delete(stage)
    bump_knowledge_version(session)
    return stage
