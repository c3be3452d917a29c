"""Announcements: write, submit, approve (four eyes), cancel or resume, send a test copy, see
delivery."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from sqlmodel import Session, col, func, select

from admin_api.deps import CurrentStaff, IdPath, MessengerDep, OutboxWakeDep, SessionDep
from admin_api.schemas import AnnouncementIn, TestCopyIn
from knowledge_base.announcements import workflow as announcing
from knowledge_base.announcements.delivery import (
    delivery_report,
    resume_broadcast,
    stop_broadcast,
)
from knowledge_base.announcements.models import Announcement
from knowledge_base.knowledge.models import ElectionStage
from knowledge_base.knowledge.office import OfficeContent, office_content
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser

router = APIRouter(prefix="/announcements", tags=["announcements"])


def _get(session: Session, announcement_id: int) -> Announcement:
    item = session.get(Announcement, announcement_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Pengumuman tidak ditemukan.")
    return item


def _public(session: Session, item: Announcement, request: Request) -> dict[str, Any]:
    zone = request.app.state.settings.zone
    return {
        "id": item.id,
        "title": item.title,
        "body": item.body,
        "audience_areas": item.audience_areas,
        "status": item.status,
        "scheduled_for": announcing.scheduled_time(session, item, zone),
        "stage_id": item.stage_id,
        "stage_anchor": item.stage_anchor,
        "stage_offset_minutes": item.stage_offset_minutes,
        "recurrence": item.recurrence,
        "author_id": item.author_id,
        "editor_ids": item.editor_ids,
        "approved_by_id": item.approved_by_id,
        "delivery": delivery_report(session, item.id),
    }


def _known_areas(office: OfficeContent, names: list[str]) -> list[str]:
    """The office's spelling of each area; 422 naming the ones it does not have."""
    known = [office.canonical_area(name) for name in names]
    unknown = [name for name, area in zip(names, known, strict=True) if area is None]
    if unknown:
        choices = ", ".join(office.areas)
        message = f"Kecamatan tidak dikenal: {', '.join(unknown)}. Pilihan: {choices}."
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, message)
    return [area for area in known if area is not None]


def _apply(
    session: Session, item: Announcement, body: AnnouncementIn, office: OfficeContent
) -> None:
    if body.stage_id is not None and session.get(ElectionStage, body.stage_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Tahapan tidak ditemukan.")
    body = body.model_copy(update={"audience_areas": _known_areas(office, body.audience_areas)})
    for name in (
        "title",
        "body",
        "audience_areas",
        "send_at",
        "stage_id",
        "stage_anchor",
        "stage_offset_minutes",
        "recurrence",
        "recurrence_until",
    ):
        setattr(item, name, getattr(body, name))
    if body.stage_id is None:
        item.stage_anchor = None
        item.stage_offset_minutes = None


def _step(session: Session, item: Announcement, action) -> None:
    try:
        action()
    except announcing.WorkflowError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc


@router.post("", status_code=status.HTTP_201_CREATED)
def create(
    body: AnnouncementIn, request: Request, session: SessionDep, staff: CurrentStaff
) -> dict[str, Any]:
    """Write a draft (the body is checked against Telegram's HTML rules)."""
    item = Announcement(title=body.title, body=body.body, author_id=staff.id)
    announcing.record_editor(item, staff)
    _apply(session, item, body, office_content(request.app.state.settings))
    session.add(item)
    session.flush()
    record_action(
        session,
        staff=staff,
        action="announcement.create",
        resource_type="announcement",
        resource_id=item.id,
    )
    session.commit()
    return _public(session, item, request)


@router.get("")
def list_announcements(
    request: Request,
    session: SessionDep,
    staff: CurrentStaff,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    total = session.exec(select(func.count()).select_from(Announcement)).one()
    rows = session.exec(
        select(Announcement).order_by(col(Announcement.id).desc()).offset(offset).limit(limit)
    ).all()
    return {
        "items": [_public(session, r, request) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.get("/{announcement_id}")
def read(
    announcement_id: IdPath, request: Request, session: SessionDep, staff: CurrentStaff
) -> dict[str, Any]:
    """One announcement with its status and delivery report (sent, failed, blocked, pending)."""
    return _public(session, _get(session, announcement_id), request)


@router.put("/{announcement_id}")
def edit(
    announcement_id: IdPath,
    body: AnnouncementIn,
    request: Request,
    session: SessionDep,
    staff: CurrentStaff,
) -> dict[str, Any]:
    """Change it; it goes back to draft so any approval covers the final text."""
    item = _get(session, announcement_id)
    _step(session, item, lambda: announcing.edit_back_to_draft(session, item, staff))
    _apply(session, item, body, office_content(request.app.state.settings))
    record_action(
        session,
        staff=staff,
        action="announcement.edit",
        resource_type="announcement",
        resource_id=item.id,
    )
    session.commit()
    return _public(session, item, request)


def _transition(
    request: Request,
    session: Session,
    staff: StaffUser,
    announcement_id: int,
    action: str,
    step: Callable[[Announcement], object],
) -> dict[str, Any]:
    """Apply one workflow step (409 when not allowed now), audit it, and return the result."""
    item = _get(session, announcement_id)
    _step(session, item, lambda: step(item))
    record_action(
        session, staff=staff, action=action, resource_type="announcement", resource_id=item.id
    )
    session.commit()
    return _public(session, item, request)


@router.post("/{announcement_id}/submit")
def submit(
    announcement_id: IdPath, request: Request, session: SessionDep, staff: CurrentStaff
) -> dict[str, Any]:
    """Schedule it; an announcement to every subscriber first waits for a second staff member."""
    return _transition(
        request,
        session,
        staff,
        announcement_id,
        "announcement.submit",
        lambda item: announcing.submit(session, item),
    )


@router.post("/{announcement_id}/approve")
def approve(
    announcement_id: IdPath, request: Request, session: SessionDep, staff: CurrentStaff
) -> dict[str, Any]:
    """Approve someone else's announcement (audited)."""
    return _transition(
        request,
        session,
        staff,
        announcement_id,
        "announcement.approve",
        lambda item: announcing.approve(session, item, staff),
    )


@router.post("/{announcement_id}/cancel")
def cancel(
    announcement_id: IdPath, request: Request, session: SessionDep, staff: CurrentStaff
) -> dict[str, Any]:
    """Stop an announcement going out; one being sent stops where it is."""
    return _transition(
        request,
        session,
        staff,
        announcement_id,
        "announcement.cancel",
        lambda item: stop_broadcast(session, item),
    )


@router.post("/{announcement_id}/resume")
def resume(
    announcement_id: IdPath,
    request: Request,
    session: SessionDep,
    staff: CurrentStaff,
    wake_outbox: OutboxWakeDep,
) -> dict[str, Any]:
    """Deliver again what a stopped or partly failed broadcast did not deliver."""
    result = _transition(
        request,
        session,
        staff,
        announcement_id,
        "announcement.resume",
        lambda item: resume_broadcast(session, item),
    )
    wake_outbox()
    return result


@router.post("/{announcement_id}/test")
async def send_test_copy(
    announcement_id: IdPath,
    body: TestCopyIn,
    session: SessionDep,
    staff: CurrentStaff,
    messenger: MessengerDep,
) -> dict[str, Any]:
    """Send the announcement to one chat (e.g. the office's own) to check how it looks."""
    item = _get(session, announcement_id)
    if messenger is None:
        raise HTTPException(status.HTTP_409_CONFLICT, "Bot Telegram tidak aktif.")
    result = await messenger.send_html(
        body.chat_id, f"<b>[UJI]</b> {announcing.announcement_text(item)}"
    )
    return {"status": result.status, "error": result.error}
