"""Service statistics for staff, the public aggregate figures, and the audit log for admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlmodel import col, func, select

from admin_api.deps import CurrentAdmin, CurrentStaff, SessionDep, SettingsDep
from knowledge_base.reporting.service import DayFigures, ServiceStats, service_stats
from knowledge_base.staff.models import AuditLog, StaffUser

router = APIRouter(tags=["reports"])

DaysQuery = Annotated[int, Query(ge=1, le=366)]


def _day(figures: DayFigures) -> dict[str, Any]:
    return {
        "date": figures.day.isoformat(),
        "questions": figures.questions,
        "answered_automatically": figures.answered_automatically,
        "suggested": figures.suggested,
        "escalated": figures.escalated,
        "declined": figures.declined,
        "answered_by_staff": figures.answered_by_staff,
        "median_hours_to_staff_answer": figures.median_hours_to_staff_answer,
        "helpful": figures.helpful,
        "not_helpful": figures.not_helpful,
    }


def _aggregates(stats: ServiceStats) -> dict[str, Any]:
    return {
        "days": stats.days,
        "first_day": stats.first_day.isoformat(),
        "last_day": stats.last_day.isoformat(),
        "questions_per_day": {d.isoformat(): n for d, n in stats.questions_per_day.items()},
        "daily": [_day(figures) for figures in stats.daily],
        "total_questions": stats.total_questions,
        "automatic_answer_rate": stats.automatic_answer_rate,
        "escalations": stats.escalations,
        "answered_by_staff": stats.answered_by_staff,
        "overdue_open": stats.overdue_open,
        "median_hours_to_staff_answer": stats.median_hours_to_staff_answer,
        "p90_hours_to_staff_answer": stats.p90_hours_to_staff_answer,
        "feedback_votes": stats.feedback_votes,
        "helpful_feedback_ratio": stats.helpful_feedback_ratio,
    }


@router.get("/stats")
def stats(
    session: SessionDep, settings: SettingsDep, staff: CurrentStaff, days: DaysQuery = 30
) -> dict[str, Any]:
    """Questions per day, answer rates, staff response times and the most-asked open questions
    over the last ``days`` days of the office's calendar (today included)."""
    figures = service_stats(session, zone=settings.zone, days=days)
    top = [{"id": q.id, "question": q.masked_text, "asked": q.ask_count} for q in figures.top_open]
    return {**_aggregates(figures), "top_open": top}


@router.get("/public/stats")
def public_stats(
    session: SessionDep, settings: SettingsDep, days: DaysQuery = 30
) -> dict[str, Any]:
    """The same figures without any question text or id, for publication."""
    return _aggregates(service_stats(session, zone=settings.zone, days=days))


@router.get("/audit")
def audit_log(
    session: SessionDep,
    admin: CurrentAdmin,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Every staff action, newest first (admins only)."""
    total = session.exec(select(func.count()).select_from(AuditLog)).one()
    rows = session.exec(
        select(AuditLog, StaffUser.username)
        .join(StaffUser, StaffUser.id == AuditLog.staff_id, isouter=True)
        .order_by(col(AuditLog.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    items = [
        {
            "id": entry.id,
            "at": entry.created_at,
            "staff": username,
            "action": entry.action,
            "resource_type": entry.resource_type,
            "resource_id": entry.resource_id,
            "detail": entry.detail,
        }
        for entry, username in rows
    ]
    return {"items": items, "total": total, "limit": limit, "offset": offset}
