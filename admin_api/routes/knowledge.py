"""Knowledge-base entries and stages: CRUD, history, rollback, YAML import/export, test a question."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, HTTPException, Query, Request, Response, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, or_, select

from admin_api.deps import CurrentAdmin, CurrentStaff, IdPath, SessionDep
from knowledge_base.knowledge.content_files import ContentProblem, dump_records, read_entries_text
from knowledge_base.knowledge.entries import (
    StageInUse,
    bump_knowledge_version,
    delete_entry,
    delete_stage,
    entry_by_slug,
    entry_to_record,
    export_records,
    import_records,
    revisions,
    stage_to_record,
    stored_stages,
)
from knowledge_base.knowledge.models import KnowledgeEntry
from knowledge_base.knowledge.publishing import EditConflict, PublishRefused, save_entry_as
from knowledge_base.knowledge.records import EntryRecord, StageRecord
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser

router = APIRouter(prefix="/kb", tags=["knowledge base"])


class EntryList(BaseModel):
    items: list[EntryRecord]
    total: int
    limit: int
    offset: int


class TestQuestion(BaseModel):
    question: str = Field(min_length=1, max_length=4000, examples=["gmn cara cek dpt online"])


def _entry(session: Session, slug: str) -> KnowledgeEntry:
    entry = entry_by_slug(session, slug)
    if entry is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Entri tidak ditemukan.")
    return entry


@router.get("/entries", response_model=EntryList)
def list_entries(
    session: SessionDep,
    staff: CurrentStaff,
    category: str | None = None,
    status_: Annotated[str | None, Query(alias="status", pattern="^(draft|published)$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> EntryList:
    """Entries, filtered by category, status or text, in id order."""
    query = select(KnowledgeEntry)
    if category:
        query = query.where(KnowledgeEntry.category == category)
    if status_:
        query = query.where(KnowledgeEntry.status == status_)
    if q:
        # autoescape: a % or _ typed by staff is a literal character, not a wildcard.
        query = query.where(
            or_(
                func.lower(KnowledgeEntry.question).contains(q.lower(), autoescape=True),
                func.lower(KnowledgeEntry.answer).contains(q.lower(), autoescape=True),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(KnowledgeEntry.slug)).offset(offset).limit(limit)).all()
    return EntryList(
        items=[entry_to_record(e) for e in rows], total=total, limit=limit, offset=offset
    )


IfMatch = Annotated[
    str | None,
    Header(
        description='The entry version you edited, from its ETag (e.g. "3"); a newer save is refused'
    ),
]


def _etag(response: Response, entry: KnowledgeEntry) -> None:
    response.headers["ETag"] = f'"{entry.version}"'


def _expected_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, 'If-Match berisi nomor versi entri, mis. "3".'
        )
    return int(value)


def _save(
    session: Session,
    record: EntryRecord,
    staff: StaffUser,
    summary: str,
    expected_version: int | None = None,
) -> tuple[KnowledgeEntry, list[str]]:
    """A staff save with the version check (412) and the four-eyes rule (403)."""
    try:
        return save_entry_as(
            session, record, staff=staff, summary=summary, expected_version=expected_version
        )
    except EditConflict as exc:
        raise HTTPException(status.HTTP_412_PRECONDITION_FAILED, str(exc)) from exc
    except PublishRefused as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from exc


@router.get("/entries/{slug}", response_model=EntryRecord)
def read_entry(
    slug: str, response: Response, session: SessionDep, staff: CurrentStaff
) -> EntryRecord:
    """One entry; its ETag is the version to send back in If-Match when saving."""
    entry = _entry(session, slug)
    _etag(response, entry)
    return entry_to_record(entry)


@router.post("/entries", response_model=EntryRecord, status_code=status.HTTP_201_CREATED)
def create_entry(
    body: EntryRecord, response: Response, session: SessionDep, staff: CurrentStaff
) -> EntryRecord:
    """Add an entry as a draft; another staff member publishes it (four eyes)."""
    if entry_by_slug(session, body.id) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "ID entri sudah dipakai.")
    entry, _ = _save(session, body, staff, "created via API")
    bump_knowledge_version(session)
    record_action(
        session, staff=staff, action="kb.create", resource_type="entry", resource_id=body.id
    )
    session.commit()
    _etag(response, entry)
    return entry_to_record(entry)


@router.put("/entries/{slug}", response_model=EntryRecord)
def update_entry(
    slug: str,
    body: EntryRecord,
    response: Response,
    session: SessionDep,
    staff: CurrentStaff,
    if_match: IfMatch = None,
) -> EntryRecord:
    """Replace an entry's content; every change becomes a revision. Publishing a draft needs
    someone who did not write it, and without changing it in the same save."""
    _entry(session, slug)
    if body.id != slug:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "ID entri tidak boleh diubah.")
    entry, changed = _save(session, body, staff, "edited via API", _expected_version(if_match))
    if changed:
        bump_knowledge_version(session)
        record_action(
            session,
            staff=staff,
            action="kb.publish"
            if "status" in changed and body.status == "published"
            else "kb.update",
            resource_type="entry",
            resource_id=slug,
            detail={"changed": changed},
        )
    session.commit()
    _etag(response, entry)
    return entry_to_record(entry)


@router.delete("/entries/{slug}", status_code=status.HTTP_204_NO_CONTENT)
def remove_entry(slug: str, session: SessionDep, staff: CurrentAdmin) -> None:
    """Delete an entry (admins only); its revision history is kept."""
    delete_entry(session, entry=_entry(session, slug), changed_by=staff.username)
    record_action(session, staff=staff, action="kb.delete", resource_type="entry", resource_id=slug)
    session.commit()


@router.get("/entries/{slug}/history")
def history(slug: str, session: SessionDep, staff: CurrentStaff) -> list[dict[str, Any]]:
    """Every revision: version, who, when, which fields changed, and the full snapshot."""
    found = revisions(session, slug)
    if not found:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Entri tidak ditemukan.")
    return [
        {
            "version": r.version,
            "changed_by": r.changed_by,
            "at": r.created_at,
            "changed_fields": r.changed_fields,
            "summary": r.summary,
            "snapshot": r.snapshot,
        }
        for r in found
    ]


@router.post("/entries/{slug}/rollback/{version}", response_model=EntryRecord)
def rollback(slug: str, version: IdPath, session: SessionDep, staff: CurrentStaff) -> EntryRecord:
    """Restore the content of an earlier revision (as a new revision)."""
    target = next((r for r in revisions(session, slug) if r.version == version), None)
    if target is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Revisi tidak ditemukan.")
    record = EntryRecord.model_validate(target.snapshot)
    entry, _ = _save(session, record, staff, f"rollback to v{version}")
    bump_knowledge_version(session)
    record_action(
        session,
        staff=staff,
        action="kb.rollback",
        resource_type="entry",
        resource_id=slug,
        detail={"version": version},
    )
    session.commit()
    return entry_to_record(entry)


def _problems(problems: list[ContentProblem]) -> HTTPException:
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        "Tidak ada yang diimpor: " + "; ".join(str(p) for p in problems[:20]),
    )


@router.post("/import")
def import_yaml(
    session: SessionDep,
    staff: CurrentAdmin,
    entries: Annotated[str, Body(media_type="text/plain", max_length=5_000_000)] = "",
) -> dict[str, int]:
    """Import entries from YAML text (the curated file format; admins only, as it publishes
    reviewed content at once); all or nothing."""
    bundle = read_entries_text(entries, Path("upload"))
    if bundle.problems:
        raise _problems(bundle.problems)
    report = import_records(
        session, bundle.entries, [], changed_by=staff.username, summary="API import"
    )
    record_action(
        session,
        staff=staff,
        action="kb.import",
        resource_type="entry",
        detail={"created": report.created, "updated": report.updated},
    )
    session.commit()
    return {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}


@router.get("/export", response_class=PlainTextResponse)
def export_yaml(session: SessionDep, staff: CurrentStaff) -> str:
    """Every entry in the curated YAML format."""
    entries, _stages = export_records(session)
    return dump_records(entries)


class StagePublic(StageRecord):
    """A stored stage with the id announcements refer to."""

    id: int


MAX_STAGES_PER_REQUEST = 200


@router.get("/stages", response_model=list[StagePublic])
def list_stages(session: SessionDep, staff: CurrentStaff) -> list[StagePublic]:
    """Every stage in date order, with its id (used by stage-relative announcements)."""
    return [
        StagePublic(id=stage.id, **stage_to_record(stage).model_dump())
        for stage in stored_stages(session)
    ]


@router.put("/stages", response_model=list[StagePublic])
def upsert_stages(
    body: Annotated[list[StageRecord], Body(max_length=MAX_STAGES_PER_REQUEST)],
    session: SessionDep,
    staff: CurrentAdmin,
) -> list[StagePublic]:
    """Create or update stages (matched by election and stage name; admins only), at most 200
    at a time."""
    import_records(session, [], body, changed_by=staff.username, summary="stages via API")
    record_action(
        session, staff=staff, action="kb.stages", resource_type="stage", detail={"count": len(body)}
    )
    session.commit()
    return list_stages(session, staff)


@router.delete("/stages/{stage_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_stage(stage_id: IdPath, session: SessionDep, staff: CurrentAdmin) -> None:
    """Delete a stage (admins only); refused while a pending announcement is timed from it."""
    try:
        stage = delete_stage(session, stage_id=stage_id)
    except StageInUse as exc:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"Tahapan ini dipakai pengumuman #{exc.args[0]} yang belum dikirim; "
            "ubah atau batalkan pengumuman itu terlebih dahulu.",
        ) from exc
    if stage is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Tahapan tidak ditemukan.")
    record_action(
        session,
        staff=staff,
        action="kb.stage.delete",
        resource_type="stage",
        resource_id=stage_id,
        detail={"election": stage.election, "stage": stage.stage},
    )
    session.commit()


@router.post("/test")
def test_question(
    body: TestQuestion, request: Request, session: SessionDep, staff: CurrentStaff
) -> dict[str, Any]:
    """What the bot would do with a question, with its top candidates and their scores."""
    cache = request.app.state.engine_cache
    cache.refresh()  # this route runs in a worker thread: rebuilding here blocks no one
    engine = cache.current()
    reply = engine.ask(body.question)
    return {
        "question": reply.question,
        "outcome": str(reply.outcome),
        "reason": reply.reason,
        "entry_id": reply.entry_id,
        "score": reply.score,
        "answer": reply.answer,
        "normalised": reply.normalised,
        "decided_by": reply.decided_by,
        "confidence": reply.confidence,
        "see_also": reply.see_also.entry_id if reply.see_also else None,
        "candidates": [
            {
                "entry_id": c.entry.id,
                "question": c.entry.question,
                "score": c.score,
                "similarity": c.similarity,
                "coverage": c.coverage,
                "overlap": c.overlap,
            }
            for c in reply.candidates
        ],
    }
