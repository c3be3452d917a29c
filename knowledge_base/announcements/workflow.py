"""Announcement workflow: when it goes out, the four-eyes rule, cancelling."""

from __future__ import annotations

import html
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, select

from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.core.columns import utcnow
from knowledge_base.knowledge.models import ElectionStage
from knowledge_base.staff.models import StaffUser
from knowledge_base.staff.notices import notify_approver

# A stage-relative announcement is anchored at this local time on the stage's first/last day.
STAGE_ANCHOR_TIME = time(8, 0)
EDITABLE = {
    AnnouncementStatus.DRAFT,
    AnnouncementStatus.AWAITING_APPROVAL,
    AnnouncementStatus.SCHEDULED,
}


class WorkflowError(Exception):
    """A step that is not allowed now; the message is for staff (Indonesian)."""


def message_html(title: str, body: str) -> str:
    """The HTML of an announcement with this title and (validated HTML) body."""
    return f"<b>{html.escape(title, quote=False)}</b>\n\n{body}"


def announcement_text(announcement: Announcement) -> str:
    """The HTML citizens receive: the escaped title, then the (validated HTML) body."""
    return message_html(announcement.title, announcement.body)


def copy_for_test(announcement: Announcement) -> str:
    """The HTML of a test copy: the announcement, marked as a test."""
    return f"<b>[UJI]</b> {announcement_text(announcement)}"


def scheduled_time(session: Session, announcement: Announcement, zone: ZoneInfo) -> datetime | None:
    """When the announcement goes out, recomputed from its stage if it is stage-relative."""
    if announcement.stage_id is None:
        return announcement.send_at
    stage = session.get(ElectionStage, announcement.stage_id)
    if stage is None:
        return None
    day = stage.starts_on if announcement.stage_anchor != "end" else stage.ends_on
    anchor = datetime.combine(day, STAGE_ANCHOR_TIME, tzinfo=zone)
    return anchor + timedelta(minutes=announcement.stage_offset_minutes or 0)


def next_occurrence(
    session: Session,
    announcement: Announcement,
    zone: ZoneInfo,
    *,
    now: datetime,
    grace: timedelta,
) -> tuple[int, datetime] | None:
    """The next run (occurrence number, time) of an announcement; ``None`` when none is left.

    A one-off announcement has occurrence 0. A daily one runs at its time every day until
    ``recurrence_until``; days missed beyond the grace period are skipped.
    """
    base = scheduled_time(session, announcement, zone)
    if base is None:
        return None
    if announcement.recurrence != "daily":
        return 0, base
    done = announcement.current_occurrence
    number = 0 if done is None else done + 1
    while base + timedelta(days=number) < now - grace:
        number += 1
    when = base + timedelta(days=number)
    if announcement.recurrence_until is not None and when > announcement.recurrence_until:
        return None
    return number, when


def needs_approval(announcement: Announcement) -> bool:
    """An announcement to every subscriber needs a second staff member's approval."""
    return not announcement.audience_areas


def submit(session: Session, announcement: Announcement) -> Announcement:
    """Ask for scheduling: straight to scheduled, or to approval for an all-subscriber audience."""
    if announcement.status != AnnouncementStatus.DRAFT:
        raise WorkflowError("Hanya draf yang dapat diajukan.")
    announcement.status = (
        AnnouncementStatus.AWAITING_APPROVAL
        if needs_approval(announcement)
        else AnnouncementStatus.SCHEDULED
    )
    _touch(session, announcement)
    if announcement.status == AnnouncementStatus.AWAITING_APPROVAL:
        _tell_approvers(session, announcement)
    return announcement


def _tell_approvers(session: Session, announcement: Announcement) -> None:
    """Everyone who may approve it and linked Telegram is told privately, once per version."""
    version = announcement.updated_at.strftime("%Y%m%d%H%M%S%f")
    for staff in session.exec(select(StaffUser).where(StaffUser.is_active.is_(True))).all():
        if not wrote_or_changed(announcement, staff):
            notify_approver(
                session,
                announcement_id=announcement.id,
                title=announcement.title,
                version=version,
                approver=staff,
            )


def record_editor(announcement: Announcement, staff: StaffUser) -> None:
    """Remember that ``staff`` wrote or changed the text, so they cannot approve it."""
    if staff.id is not None and staff.id not in announcement.editor_ids:
        # A new list, so SQLAlchemy sees the JSON column change.
        announcement.editor_ids = [*announcement.editor_ids, staff.id]


def wrote_or_changed(announcement: Announcement, staff: StaffUser) -> bool:
    """Whether ``staff`` is the author or changed the text at some point."""
    return staff.id == announcement.author_id or staff.id in announcement.editor_ids


def approve(session: Session, announcement: Announcement, staff: StaffUser) -> Announcement:
    """The second pair of eyes: someone who neither wrote nor changed the text schedules it."""
    if announcement.status != AnnouncementStatus.AWAITING_APPROVAL:
        raise WorkflowError("Pengumuman ini tidak sedang menunggu persetujuan.")
    if wrote_or_changed(announcement, staff):
        raise WorkflowError(
            "Pengumuman harus disetujui oleh petugas lain yang tidak menulis atau mengubahnya."
        )
    announcement.status = AnnouncementStatus.SCHEDULED
    announcement.approved_by_id = staff.id
    announcement.approved_at = utcnow()
    return _touch(session, announcement)


def cancel(session: Session, announcement: Announcement) -> Announcement:
    """Stop it going out; one being sent stops where it is (``delivery.stop_broadcast`` also
    cancels the messages still waiting)."""
    if announcement.status not in EDITABLE | {AnnouncementStatus.SENDING}:
        raise WorkflowError("Pengumuman yang sudah dikirim tidak dapat dibatalkan.")
    announcement.status = AnnouncementStatus.CANCELLED
    return _touch(session, announcement)


def can_resume(announcement: Announcement) -> bool:
    """Sending or sent (some messages may have failed), or cancelled after its delivery had
    started."""
    if announcement.status in (AnnouncementStatus.SENDING, AnnouncementStatus.SENT):
        return True
    return (
        announcement.status == AnnouncementStatus.CANCELLED
        and announcement.current_occurrence is not None
    )


def edit_back_to_draft(
    session: Session, announcement: Announcement, editor: StaffUser
) -> Announcement:
    """Any edit sends an announcement back to draft, so approval covers the final text, and
    the editor joins those who may not approve it."""
    if announcement.status not in EDITABLE:
        raise WorkflowError("Pengumuman ini tidak dapat diubah lagi.")
    record_editor(announcement, editor)
    announcement.status = AnnouncementStatus.DRAFT
    announcement.approved_by_id = None
    announcement.approved_at = None
    return _touch(session, announcement)


def claim_for_sending(session: Session, announcement_id: int) -> bool:
    """Atomically move a scheduled announcement to sending; ``False`` if someone else did.

    The caller commits, together with the delivery rows (see ``broadcast.start_broadcast``).
    """
    result = session.execute(
        update(Announcement)
        .where(
            Announcement.id == announcement_id,
            Announcement.status == AnnouncementStatus.SCHEDULED,
        )
        .values(status=AnnouncementStatus.SENDING, updated_at=utcnow())
    )
    return result.rowcount == 1


def start_sending(announcement: Announcement, occurrence: int) -> Announcement:
    """Mark ``occurrence`` as the one being delivered."""
    announcement.status = AnnouncementStatus.SENDING
    announcement.current_occurrence = occurrence
    announcement.updated_at = utcnow()
    return announcement


def finish_sending(announcement: Announcement) -> Announcement:
    """Every message of the current occurrence is final: a one-off announcement is sent; a
    recurring one goes back to the schedule (the scheduler's next sync books the following
    day, or marks the series sent)."""
    announcement.status = (
        AnnouncementStatus.SCHEDULED if announcement.recurrence else AnnouncementStatus.SENT
    )
    announcement.sent_at = utcnow()
    announcement.updated_at = announcement.sent_at
    return announcement


def _touch(session: Session, announcement: Announcement) -> Announcement:
    announcement.updated_at = utcnow()
    session.add(announcement)
    return announcement
