"""Service statistics for staff, the public aggregate figures, and the audit log for admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlmodel import col, func, select

from admin_api.deps import CurrentAdmin, CurrentStaff, SessionDep, SettingsDep
from knowledge_base.reporting.service import ServiceStats, service_stats
from knowledge_base.staff.models import AuditLog, StaffUser

router = APIRouter(tags=["reports"])

DaysQuery = Annotated[int, Query(ge=1, le=366)]


def _aggregates(stats: ServiceStats) -> dict[str, Any]:
    return {
        "days": stats.days,
        "questions_per_day": {d.isoformat(): n for d, n in stats.questions_per_day.items()},
        "total_questions": stats.total_questions,
        "automatic_answer_rate": stats.automatic_answer_rate,
        "escalations": stats.escalations,
        "answered_by_staff": stats.answered_by_staff,
        "overdue_open": stats.overdue_open,
        "median_hours_to_staff_answer": stats.median_hours_to_staff_answer,
        "p90_hours_to_staff_answer": stats.p90_hours_to_staff_answer,
        "helpful_feedback_ratio": stats.helpful_feedback_ratio,
    }


@router.get("/stats")
def stats(
    session: SessionDep, settings: SettingsDep, staff: CurrentStaff, days: DaysQuery = 30
) -> dict[str, Any]:
    """Questions per day, answer rates, staff response times and the most-asked open questions."""
    figures = service_stats(session, zone=settings.zone, days=days)
    top = [{"question": text, "asked": count} for text, count in figures.top_open]
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
