"""What a console page route depends on, as typed aliases:

- ``ConsoleStaff``: the logged-in, active staff member (else the browser goes to the login
  page, with ``next`` set to this page);
- ``ConsoleAdmin``: the same, but an admin (else a 403 page in Indonesian);
- ``ConsoleDb``: the request's database session (the same one ``ConsoleStaff`` used);
- ``ConsoleSessionDep``: the session itself (staff member and when it began).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from admin_api.console import texts
from admin_api.console.sessions import ActiveSession, active_session
from admin_api.deps import SessionDep, SettingsDep
from admin_api.security import CONSOLE_SESSION_COOKIE
from knowledge_base.staff.models import StaffRole, StaffUser


class LoginRequired(Exception):
    """The request has no valid session (never had one, or it was ended since)."""


ConsoleDb = SessionDep


def current_session(request: Request, db: ConsoleDb, settings: SettingsDep) -> ActiveSession:
    """This request's session, checked against the database now, so a deactivated account or
    an ended session is refused at once."""
    active = active_session(db, settings, request.cookies.get(CONSOLE_SESSION_COOKIE))
    if active is None:
        raise LoginRequired
    request.state.console_staff = active.staff  # the layout shows their name and menu
    return active


ConsoleSessionDep = Annotated[ActiveSession, Depends(current_session)]


def current_staff(active: ConsoleSessionDep) -> StaffUser:
    """The logged-in staff member."""
    return active.staff


ConsoleStaff = Annotated[StaffUser, Depends(current_staff)]


def current_admin(staff: ConsoleStaff) -> StaffUser:
    """The logged-in staff member when an admin; others get a 403 page."""
    if staff.role != StaffRole.ADMIN:
        raise HTTPException(status.HTTP_403_FORBIDDEN, texts.ADMIN_ONLY)
    return staff


ConsoleAdmin = Annotated[StaffUser, Depends(current_admin)]
