"""Pengumuman: the list with what waits for my approval, the composer (plain text or Telegram
HTML with a live preview; a date and time or a stage; kecamatan), the workflow's actions, a
test copy to my own Telegram and the delivery report. Every change goes through
``knowledge_base.announcements`` and is audited with the JSON API's action names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

import anyio.from_thread
from fastapi import APIRouter, Form, HTTPException, Query, Request, status
from sqlmodel import Session
from starlette.responses import Response

from admin_api.console.deps import ConsoleDb, ConsoleStaff
from admin_api.console.rendering import render, see_other
from admin_api.deps import MAX_ID, IdPath, OutboxWakeDep
from knowledge_base.announcements import drafting
from knowledge_base.announcements import workflow as announcing
from knowledge_base.announcements.composing import (
    AnnouncementFields,
    describe_stage_timing,
    fields_of,
    preview,
    read_fields,
    whole_number,
)
from knowledge_base.announcements.delivery import delivery_report, resume_broadcast, stop_broadcast
from knowledge_base.announcements.drafting import Draft
from knowledge_base.announcements.listing import awaiting_approval_by, newest
from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.announcements.telegram_html import preview_html
from knowledge_base.core.settings import Settings
from knowledge_base.followup.models import ReplyStatus
from knowledge_base.knowledge.models import ElectionStage
from knowledge_base.knowledge.office import office_content
from knowledge_base.knowledge.stage_calendar import local_today
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser

router = APIRouter()
LIST_PATH = "/staf/pengumuman"
NEW_PATH = f"{LIST_PATH}/baru"
PAGE_SIZE = 30
STATUS_LABELS = {
    AnnouncementStatus.DRAFT: "Draf",
    AnnouncementStatus.AWAITING_APPROVAL: "Menunggu persetujuan",
    AnnouncementStatus.SCHEDULED: "Terjadwal",
    AnnouncementStatus.SENDING: "Sedang dikirim",
    AnnouncementStatus.SENT: "Terkirim",
    AnnouncementStatus.CANCELLED: "Dibatalkan",
    AnnouncementStatus.MISSED: "Terlewat",
}
REPORT_PARTS = (
    ("sent", "Terkirim"),
    ("failed", "Gagal"),
    ("blocked", "Diblokir"),
    ("waiting", "Menunggu"),
    ("cancelled", "Dibatalkan"),
)
BOT_NOT_RUNNING = (
    "Bot Telegram tidak berjalan di server ini, sehingga salinan uji tidak dapat dikirim."
)
NOT_LINKED = (
    "Akun Telegram Anda belum ditautkan. Buka halaman Tautkan Telegram, lalu kirim kodenya ke bot."
)
TEST_SENT = "Salinan uji telah dikirim ke Telegram Anda."
TEST_BLOCKED = (
    "Telegram menolak mengirim: mungkin Anda memblokir bot. Buka bot, tekan Mulai, lalu coba lagi."
)
TEST_FAILED = "Salinan uji gagal dikirim. Silakan coba lagi beberapa saat lagi."
NOT_EDITABLE = "Pengumuman ini tidak dapat diubah lagi."
SAVED_AS_DRAFT = "Perubahan disimpan. Pengumuman kembali menjadi draf."


class ComposerForm(AnnouncementFields):
    """The composer's form: the announcement's fields and the button pressed."""

    action: str = "save"  # "preview" shows the form again with its preview (no JavaScript)


ComposerInput = Annotated[ComposerForm, Form()]


def read_draft(
    db: Session, values: ComposerForm, settings: Settings
) -> tuple[Draft | None, dict[str, str]]:
    """The draft the form describes (personal data masked), or why it cannot be stored."""
    zone = settings.zone
    return read_fields(
        db,
        values,
        office=office_content(settings),
        zone=zone,
        now=datetime.now(zone),
        grace=timedelta(minutes=settings.announcement_grace_minutes),
    )


def _stage_groups(stages: list[ElectionStage]) -> list[tuple[str, list[ElectionStage]]]:
    """Stages by election, elections in the order of their first stage."""
    groups: dict[str, list[ElectionStage]] = {}
    for stage in stages:
        groups.setdefault(stage.election, []).append(stage)
    return list(groups.items())


def _composer(
    db: Session, settings: Settings, action: str, values: ComposerForm, errors: dict[str, str]
) -> dict[str, Any]:
    """What the composer template needs besides the page around it (it posts to ``action``)."""
    chosen = whole_number(values.stage_id, MAX_ID) if values.timing == "stage" else None
    stages = drafting.stage_choices(db, today=local_today(settings.zone), keep=chosen or None)
    return {
        "composer_action": action,
        "zone_label": datetime.now(settings.zone).tzname(),
        "values": values,
        "errors": errors,
        "areas": office_content(settings).areas,
        "stage_groups": _stage_groups(stages),
        "preview": preview(values),
        "grace_minutes": settings.announcement_grace_minutes,
    }


def _report(counts: dict[str, int]) -> dict[str, Any]:
    """The delivery report as numbers and as segments of one bar (percent of all messages)."""
    values = {**counts, "waiting": counts["pending"] + counts["sending"]}
    total = sum(values[key] for key, _ in REPORT_PARTS)
    parts, start = [], 0.0
    for key, label in REPORT_PARTS:
        share = 100 * values[key] / total if total else 0.0
        parts.append({"key": key, "label": label, "count": values[key], "x": start, "width": share})
        start += share
    return {"total": total, "parts": parts}


def _staff_name(db: Session, staff_id: int | None) -> str:
    person = db.get(StaffUser, staff_id) if staff_id else None
    return (person.full_name or person.username) if person else "-"


def _detail(
    request: Request,
    db: Session,
    staff: StaffUser,
    item: Announcement,
    values: ComposerForm | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the detail page shows: facts, actions, report and (if editable) the form."""
    settings: Settings = request.app.state.settings
    counts = delivery_report(db, item.id)
    page = {
        "title": item.title,
        "item": item,
        "status_label": STATUS_LABELS.get(item.status, item.status),
        "when": announcing.scheduled_time(db, item, settings.zone),
        "stage": db.get(ElectionStage, item.stage_id) if item.stage_id else None,
        "stage_timing": describe_stage_timing(item.stage_offset_minutes or 0, item.stage_anchor),
        "author": _staff_name(db, item.author_id),
        "approver": _staff_name(db, item.approved_by_id),
        "editable": item.status in announcing.EDITABLE,
        "can_submit": item.status == AnnouncementStatus.DRAFT,
        "can_approve": item.status == AnnouncementStatus.AWAITING_APPROVAL,
        "is_writer": announcing.wrote_or_changed(item, staff),
        "can_cancel": item.status in announcing.EDITABLE | {AnnouncementStatus.SENDING},
        "can_resume": announcing.can_resume(item) and counts["failed"] + counts["cancelled"] > 0,
        "report": _report(counts),
        "message": preview_html(announcing.announcement_text(item)),
        "linked": staff.telegram_user_id is not None,
        "bot_running": request.app.state.messenger is not None,
    }
    if page["editable"]:
        shown = values or ComposerForm(**fields_of(item, settings.zone).model_dump())
        page |= _composer(db, settings, _path(item), shown, errors or {})
    return page


def _get(db: Session, announcement_id: int) -> Announcement:
    item = db.get(Announcement, announcement_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Pengumuman tidak ditemukan.")
    return item


def _path(item: Announcement) -> str:
    return f"{LIST_PATH}/{item.id}"


def _audit(db: Session, staff: StaffUser, action: str, item: Announcement) -> None:
    record_action(db, staff=staff, action=action, resource_type="announcement", resource_id=item.id)


@router.get("/pengumuman")
def announcement_list(
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    halaman: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Every announcement, newest first, below the ones waiting for my approval."""
    rows, total = newest(db, limit=PAGE_SIZE, offset=(halaman - 1) * PAGE_SIZE)
    zone = request.app.state.settings.zone
    page = {
        "title": "Pengumuman",
        "queue": awaiting_approval_by(db, staff),
        "rows": [(row, announcing.scheduled_time(db, row, zone)) for row in rows],
        "status_labels": STATUS_LABELS,
        "page_number": halaman,
        "has_next": halaman * PAGE_SIZE < total,
    }
    return render(request, "announcements_list.html", page)


@router.get("/pengumuman/baru")
def new_announcement(request: Request, staff: ConsoleStaff, db: ConsoleDb) -> Response:
    """An empty composer (plain text, every subscriber not yet chosen)."""
    return _new_page(request, db, ComposerForm(), {})


def _new_page(
    request: Request, db: Session, values: ComposerForm, errors: dict[str, str]
) -> Response:
    page = {"title": "Tulis pengumuman"}
    page |= _composer(db, request.app.state.settings, NEW_PATH, values, errors)
    code = status.HTTP_422_UNPROCESSABLE_CONTENT if errors else status.HTTP_200_OK
    return render(request, "announcements_new.html", page, status_code=code)


@router.post("/pengumuman/baru")
def create_announcement(
    request: Request, staff: ConsoleStaff, db: ConsoleDb, values: ComposerInput
) -> Response:
    """Store a new draft (or show the preview again, for browsers without JavaScript)."""
    if values.action == "preview":
        return _new_page(request, db, values, {})
    draft, errors = read_draft(db, values, request.app.state.settings)
    if draft is None:
        return _new_page(request, db, values, errors)
    item = drafting.create_draft(db, draft, staff)
    _audit(db, staff, "announcement.create", item)
    db.commit()
    return see_other(request, _path(item), success="Draf disimpan. Ajukan bila sudah siap.")


@router.post("/pengumuman/pratinjau")
def live_preview(request: Request, staff: ConsoleStaff, values: ComposerInput) -> Response:
    """The preview alone, for htmx while the staff member types."""
    return render(request, "announcements_preview.html", {"preview": preview(values)})


@router.get("/pengumuman/{announcement_id}")
def announcement_detail(
    announcement_id: IdPath, request: Request, staff: ConsoleStaff, db: ConsoleDb
) -> Response:
    """One announcement: status, time, audience, actions, delivery report, and its form."""
    item = _get(db, announcement_id)
    return render(request, "announcements_detail.html", _detail(request, db, staff, item))


def _edit_page(
    request: Request,
    db: Session,
    staff: StaffUser,
    item: Announcement,
    values: ComposerForm,
    errors: dict[str, str],
) -> Response:
    page = _detail(request, db, staff, item, values, errors)
    code = status.HTTP_422_UNPROCESSABLE_CONTENT if errors else status.HTTP_200_OK
    return render(request, "announcements_detail.html", page, status_code=code)


@router.post("/pengumuman/{announcement_id}")
def save_announcement(
    announcement_id: IdPath,
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    values: ComposerInput,
) -> Response:
    """Store the edit; the announcement goes back to draft (approval covers the final text)."""
    item = _get(db, announcement_id)
    if item.status not in announcing.EDITABLE:
        return see_other(request, _path(item), error=NOT_EDITABLE)
    if values.action == "preview":
        return _edit_page(request, db, staff, item, values, {})
    draft, errors = read_draft(db, values, request.app.state.settings)
    if draft is None:
        return _edit_page(request, db, staff, item, values, errors)
    try:
        drafting.revise(db, item, draft, staff)
    except announcing.WorkflowError as exc:
        return see_other(request, _path(item), error=str(exc))
    _audit(db, staff, "announcement.edit", item)
    db.commit()
    return see_other(request, _path(item), success=SAVED_AS_DRAFT)


def _step(
    request: Request,
    db: Session,
    staff: StaffUser,
    announcement_id: int,
    action: str,
    step: Callable[[Announcement], str],
) -> Response:
    """One workflow step: its message on success, the domain's reason when refused."""
    item = _get(db, announcement_id)
    try:
        done = step(item)
    except announcing.WorkflowError as exc:
        db.rollback()
        return see_other(request, _path(item), error=str(exc))
    _audit(db, staff, action, item)
    db.commit()
    return see_other(request, _path(item), success=done)


def _submitted(db: Session, item: Announcement) -> str:
    announcing.submit(db, item)
    if item.status == AnnouncementStatus.AWAITING_APPROVAL:
        return "Pengumuman diajukan dan menunggu persetujuan petugas lain."
    return "Pengumuman diajukan dan sudah terjadwal."


@router.post("/pengumuman/{announcement_id}/ajukan")
def submit(
    announcement_id: IdPath, request: Request, staff: ConsoleStaff, db: ConsoleDb
) -> Response:
    """Ajukan: scheduled at once, or first approved when it goes to every subscriber."""
    return _step(
        request,
        db,
        staff,
        announcement_id,
        "announcement.submit",
        lambda item: _submitted(db, item),
    )


@router.post("/pengumuman/{announcement_id}/setujui")
def approve(
    announcement_id: IdPath, request: Request, staff: ConsoleStaff, db: ConsoleDb
) -> Response:
    """Setujui: only someone who neither wrote nor changed it (the domain refuses others)."""

    def approved(item: Announcement) -> str:
        announcing.approve(db, item, staff)
        return "Pengumuman disetujui dan sudah terjadwal."

    return _step(request, db, staff, announcement_id, "announcement.approve", approved)


@router.post("/pengumuman/{announcement_id}/batalkan")
def cancel(
    announcement_id: IdPath, request: Request, staff: ConsoleStaff, db: ConsoleDb
) -> Response:
    """Batalkan: it will not go out; one being sent stops where it is."""

    def cancelled(item: Announcement) -> str:
        stopped = stop_broadcast(db, item)
        return (
            f"Pengumuman dibatalkan; {stopped} pesan yang belum terkirim dihentikan."
            if stopped
            else "Pengumuman dibatalkan."
        )

    return _step(request, db, staff, announcement_id, "announcement.cancel", cancelled)


@router.post("/pengumuman/{announcement_id}/lanjutkan")
def resume(
    announcement_id: IdPath,
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    wake_outbox: OutboxWakeDep,
) -> Response:
    """Lanjutkan: deliver again what a stopped or partly failed broadcast did not deliver."""

    def resumed(item: Announcement) -> str:
        return f"Pengiriman dilanjutkan: {resume_broadcast(db, item)} pesan akan dikirim lagi."

    response = _step(request, db, staff, announcement_id, "announcement.resume", resumed)
    wake_outbox()  # the reopened messages are committed: no need to wait for the next poll
    return response


@router.post("/pengumuman/{announcement_id}/uji")
def send_test_copy(
    announcement_id: IdPath, request: Request, staff: ConsoleStaff, db: ConsoleDb
) -> Response:
    """Kirim uji: a copy marked [UJI] to my own linked Telegram account."""
    item = _get(db, announcement_id)
    messenger = request.app.state.messenger
    if messenger is None:
        return see_other(request, _path(item), error=BOT_NOT_RUNNING)
    if staff.telegram_user_id is None:
        return see_other(request, _path(item), error=NOT_LINKED)
    # Console routes run in a worker thread; the bot's client lives on the server's loop.
    result = anyio.from_thread.run(
        messenger.send_html, staff.telegram_user_id, announcing.copy_for_test(item)
    )
    _audit(db, staff, "announcement.test", item)
    db.commit()
    if result.status == ReplyStatus.SENT:
        return see_other(request, _path(item), success=TEST_SENT)
    refused = TEST_BLOCKED if result.status == ReplyStatus.BLOCKED else TEST_FAILED
    return see_other(request, _path(item), error=refused)
