"""Console sessions: a signed cookie begun at login and checked against the database on every
request. Logging out ends that session; a new password or deactivation ends every earlier
session of the account. Each is an audit-log entry, so nothing but the cookie holds state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select
from starlette.requests import Request
from starlette.responses import Response

from admin_api.console.addresses import CONSOLE_PREFIX
from admin_api.security import (
    CONSOLE_SESSION_COOKIE,
    ConsoleSession,
    create_console_session,
    read_console_session,
)
from knowledge_base.core.settings import Settings
from knowledge_base.staff.accounts import DEACTIVATE, PASSWORD_CHANGE
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import AuditLog, StaffUser

# Audit actions on an account after which none of its earlier sessions count.
# A new password or a deactivation (recorded by knowledge_base.staff.accounts) ends them all.
ENDING_ACTIONS = (PASSWORD_CHANGE, DEACTIVATE)
LOGOUT = "logout"
SESSION_RESOURCE = "console_session"


@dataclass(frozen=True)
class ActiveSession:
    """A valid session and its active staff member."""

    staff: StaffUser
    began: datetime


def session_key(session: ConsoleSession) -> str:
    """The audit-log resource id of one session: account and beginning."""
    return f"{session.staff_id}@{session.issued_at.isoformat()}"


def sessions_ended_at(db: Session, staff_id: int) -> datetime | None:
    """When all the account's sessions were last ended (new password, deactivation)."""
    query = select(func.max(AuditLog.created_at)).where(
        AuditLog.resource_type == "staff",
        AuditLog.resource_id == str(staff_id),
        AuditLog.action.in_(ENDING_ACTIONS),
    )
    return db.exec(query).one()


def _logged_out(db: Session, session: ConsoleSession) -> bool:
    query = select(AuditLog.id).where(
        AuditLog.action == LOGOUT,
        AuditLog.resource_type == SESSION_RESOURCE,
        AuditLog.resource_id == session_key(session),
    )
    return db.exec(query.limit(1)).first() is not None


def active_session(db: Session, settings: Settings, cookie: str | None) -> ActiveSession | None:
    """The session in ``cookie`` when it is still valid for an active account, else ``None``."""
    current = read_console_session(settings, cookie)
    if current is None:
        return None
    staff = db.get(StaffUser, current.staff_id)
    if staff is None or not staff.is_active:
        return None
    ended = sessions_ended_at(db, current.staff_id)
    if (ended is not None and current.issued_at < ended) or _logged_out(db, current):
        return None
    return ActiveSession(staff=staff, began=current.issued_at)


def end_session(db: Session, active: ActiveSession) -> None:
    """Log this one session out; the caller commits."""
    key = session_key(ConsoleSession(staff_id=active.staff.id, issued_at=active.began))
    record_action(
        db, staff=active.staff, action=LOGOUT, resource_type=SESSION_RESOURCE, resource_id=key
    )


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS (a trusted proxy's word counts)."""
    return request.url.scheme == "https"


def set_session_cookie(
    response: Response, request: Request, settings: Settings, *, staff_id: int, began: datetime
) -> None:
    """Give the browser a session begun at ``began``: HttpOnly, SameSite=Lax, only for the
    console's paths, Secure over HTTPS, and gone when the browser closes."""
    value = create_console_session(settings, staff_id=staff_id, issued_at=began)
    response.set_cookie(
        CONSOLE_SESSION_COOKIE,
        value,
        path=CONSOLE_PREFIX,
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    """Make the browser forget its session cookie."""
    response.delete_cookie(
        CONSOLE_SESSION_COOKIE,
        path=CONSOLE_PREFIX,
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )
