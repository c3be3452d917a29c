"""The audit trail of staff actions."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from knowledge_base.staff.models import AuditLog, StaffUser


def record_action(
    session: Session,
    *,
    staff: StaffUser | None,
    action: str,
    resource_type: str,
    resource_id: object = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one audit entry; the caller commits with the action itself."""
    entry = AuditLog(
        staff_id=staff.id if staff else None,
        action=action,
        resource_type=resource_type,
        resource_id=None if resource_id is None else str(resource_id),
        detail=detail or {},
    )
    session.add(entry)
    return entry
