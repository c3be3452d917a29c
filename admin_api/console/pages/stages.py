"""Tahapan: the election stages in office time (admins add, change and delete them; everyone
else reads the table). "Current stage" answers are computed from these rows, so every change
bumps the knowledge version and the bots reload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Request, status
from sqlmodel import Session
from starlette.responses import Response

from admin_api.console.deps import ConsoleAdmin, ConsoleDb, ConsoleStaff
from admin_api.console.rendering import render, see_other
from knowledge_base.knowledge.entries import StageInUse, delete_stage, stored_stages
from knowledge_base.knowledge.models import ElectionStage
from knowledge_base.knowledge.stage_editing import (
    StageDraft,
    StageInvalid,
    add_stage,
    stage_record,
    update_stage,
)
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser

router = APIRouter()
STAGES_PATH = "/staf/tahapan"
FormText = Annotated[str, Form()]
StageId = Annotated[int, Path(ge=1, le=2**31 - 1)]

ADDED = "Tahapan {stage} ditambahkan."
UPDATED = "Perubahan tahapan {stage} disimpan."
DELETED = "Tahapan {stage} dihapus."


def _stage_or_404(db: Session, stage_id: int) -> ElectionStage:
    stage = db.get(ElectionStage, stage_id)
    if stage is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Tahapan ini tidak ada atau sudah dihapus.")
    return stage


def _list_page(
    request: Request,
    db: Session,
    *,
    draft: StageDraft | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    stages = stored_stages(db)
    page = {
        "title": "Tahapan",
        "stages": stages,
        "elections": sorted({stage.election for stage in stages}),
        "draft": draft or StageDraft(),
        "errors": errors or {},
    }
    return render(request, "stages_list.html", page, status_code=status_code)


def _edit_page(
    request: Request,
    stage: ElectionStage,
    *,
    draft: StageDraft | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    page = {
        "title": "Ubah tahapan",
        "stage": stage,
        "draft": draft or StageDraft.of(stage),
        "errors": errors or {},
    }
    return render(request, "stages_edit.html", page, status_code=status_code)


def _audit(db: Session, admin: StaffUser, action: str, stage: ElectionStage) -> None:
    detail = {"election": stage.election, "stage": stage.stage}
    record_action(
        db, staff=admin, action=action, resource_type="stage", resource_id=stage.id, detail=detail
    )


@router.get("/tahapan")
def stage_list(request: Request, staff: ConsoleStaff, db: ConsoleDb) -> Response:
    """Every stage in date order (with the form to add one, for admins)."""
    return _list_page(request, db)


@router.post("/tahapan")
def create_stage(
    request: Request,
    admin: ConsoleAdmin,
    db: ConsoleDb,
    election: FormText = "",
    stage: FormText = "",
    start: FormText = "",
    end: FormText = "",
    description: FormText = "",
    legal_source: FormText = "",
) -> Response:
    """Add a stage (admins only)."""
    draft = StageDraft(election, stage, start, end, description, legal_source)
    try:
        added = add_stage(db, stage_record(draft))
    except StageInvalid as invalid:
        return _list_page(request, db, draft=draft, errors=invalid.problems, status_code=422)
    _audit(db, admin, "kb.stage.create", added)
    message = ADDED.format(stage=added.stage)
    db.commit()
    return see_other(request, STAGES_PATH, success=message)


@router.get("/tahapan/{stage_id}")
def edit_form(stage_id: StageId, request: Request, admin: ConsoleAdmin, db: ConsoleDb) -> Response:
    """The form to change one stage (admins only)."""
    return _edit_page(request, _stage_or_404(db, stage_id))


@router.post("/tahapan/{stage_id}")
def change_stage(
    stage_id: StageId,
    request: Request,
    admin: ConsoleAdmin,
    db: ConsoleDb,
    election: FormText = "",
    stage: FormText = "",
    start: FormText = "",
    end: FormText = "",
    description: FormText = "",
    legal_source: FormText = "",
) -> Response:
    """Save the changed stage (admins only)."""
    stored = _stage_or_404(db, stage_id)
    draft = StageDraft(election, stage, start, end, description, legal_source)
    try:
        update_stage(db, stage_id, stage_record(draft))
    except StageInvalid as invalid:
        return _edit_page(request, stored, draft=draft, errors=invalid.problems, status_code=422)
    _audit(db, admin, "kb.stage.update", stored)
    message = UPDATED.format(stage=stored.stage)
    db.commit()
    return see_other(request, STAGES_PATH, success=message)


@router.post("/tahapan/{stage_id}/hapus")
def remove_stage(
    stage_id: StageId, request: Request, admin: ConsoleAdmin, db: ConsoleDb
) -> Response:
    """Delete a stage (admins only); refused while a pending announcement is timed from it."""
    stored = _stage_or_404(db, stage_id)
    try:
        delete_stage(db, stage_id=stage_id)
    except StageInUse as in_use:
        return see_other(request, f"{STAGES_PATH}/{stage_id}", error=in_use.message)
    _audit(db, admin, "kb.stage.delete", stored)
    message = DELETED.format(stage=stored.stage)
    db.commit()
    return see_other(request, STAGES_PATH, success=message)
