"""Which announcements staff see: the newest first, and those waiting for one staff member's
approval (four eyes: awaiting approval, and neither written nor changed by them)."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.announcements.workflow import wrote_or_changed
from knowledge_base.staff.models import StaffUser


def newest(session: Session, *, limit: int, offset: int = 0) -> tuple[list[Announcement], int]:
    """One page of announcements, newest first, and how many there are in all."""
    total = session.exec(select(func.count()).select_from(Announcement)).one()
    rows = session.exec(
        select(Announcement).order_by(col(Announcement.id).desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def awaiting_approval_by(session: Session, staff: StaffUser) -> list[Announcement]:
    """Announcements waiting for approval that ``staff`` may approve, oldest first."""
    waiting = session.exec(
        select(Announcement)
        .where(Announcement.status == AnnouncementStatus.AWAITING_APPROVAL)
        .order_by(col(Announcement.id))
    ).all()
    return [item for item in waiting if not wrote_or_changed(item, staff)]
