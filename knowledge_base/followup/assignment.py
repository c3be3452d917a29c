"""Who handles a question: giving it to an active staff member (or to nobody), and the staff
members a question can be given to."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from knowledge_base.followup.models import UnansweredQuestion
from knowledge_base.staff.models import StaffUser
from knowledge_base.staff.notices import notify_assignee


class AssigneeNotFound(Exception):
    """No active staff member has that id."""


def assign_question(
    session: Session,
    *,
    question: UnansweredQuestion,
    staff_id: int | None,
    by: StaffUser | None = None,
) -> UnansweredQuestion:
    """Give ``question`` to the active staff member ``staff_id`` (``None``: to nobody), in the
    caller's transaction; ``AssigneeNotFound`` when that account is unknown or inactive. When
    ``by`` hands it to someone else, that person is told privately on Telegram (if linked)."""
    assignee = None
    if staff_id is not None:
        assignee = session.get(StaffUser, staff_id)
        if assignee is None or not assignee.is_active:
            raise AssigneeNotFound(staff_id)
    question.assigned_to_id = staff_id
    session.add(question)
    if assignee is not None and by is not None:
        notify_assignee(
            session,
            question_id=question.id,
            question_text=question.masked_text,
            assignee=assignee,
            by=by,
        )
    return question


def assignable_staff(session: Session) -> list[StaffUser]:
    """Every active staff member, by name, as a question can be given to them."""
    name = func.lower(func.coalesce(func.nullif(StaffUser.full_name, ""), StaffUser.username))
    return list(
        session.exec(select(StaffUser).where(col(StaffUser.is_active)).order_by(name)).all()
    )


def staff_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, StaffUser]:
    """The staff members with these ids (inactive ones too: they may still hold questions)."""
    wanted = {staff_id for staff_id in ids if staff_id is not None}
    if not wanted:
        return {}
    rows = session.exec(select(StaffUser).where(col(StaffUser.id).in_(wanted))).all()
    return {row.id: row for row in rows}
