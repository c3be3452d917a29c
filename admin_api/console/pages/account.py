"""The staff member's own account: "Ubah kata sandi" (same rules as the API and the CLI)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from admin_api.console import texts
from admin_api.console.addresses import PASSWORD_PATH
from admin_api.console.deps import ConsoleDb, ConsoleStaff
from admin_api.console.rendering import render, see_other
from admin_api.console.sessions import set_session_cookie
from admin_api.deps import SettingsDep, ThrottleDep
from admin_api.security import LoginThrottle
from knowledge_base.core.settings import MIN_PASSWORD_CHARS
from knowledge_base.staff.accounts import replace_password, verify_password
from knowledge_base.staff.models import StaffUser

router = APIRouter()
FormText = Annotated[str, Form()]


def new_password_problem(current: str, new: str, repeated: str) -> str | None:
    """Why ``new`` cannot replace ``current``, or ``None`` when it can."""
    if len(new) < MIN_PASSWORD_CHARS:
        return texts.PASSWORD_TOO_SHORT
    if len(new) > texts.MAX_PASSWORD_CHARS:
        return texts.PASSWORD_TOO_LONG
    if new != repeated:
        return texts.PASSWORDS_DIFFER
    if new == current:
        return texts.PASSWORD_UNCHANGED
    return None


def _current_password_problem(
    throttle: LoginThrottle, staff: StaffUser, address: str, current: str
) -> tuple[str, int] | None:
    # Throttled like a login: a session left open must not let anyone guess the password.
    if throttle.blocked(staff.username, address):
        return texts.TOO_MANY_ATTEMPTS, 429
    if not verify_password(current, staff.password_hash):
        throttle.failed(staff.username, address)
        return texts.WRONG_CURRENT_PASSWORD, 422
    throttle.succeeded(staff.username, address)
    return None


def _password_page(request: Request, *, error: str = "", status: int = 200) -> Response:
    page = {"title": "Ubah kata sandi", "error": error, "min_chars": MIN_PASSWORD_CHARS}
    return render(request, "password.html", page, status_code=status)


@router.get("/kata-sandi")
def password_form(request: Request, staff: ConsoleStaff) -> Response:
    """The form: current password, then the new one twice."""
    return _password_page(request)


@router.post("/kata-sandi")
def change_password(
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    settings: SettingsDep,
    throttle: ThrottleDep,
    current: FormText = "",
    new: FormText = "",
    repeated: FormText = "",
) -> Response:
    """Check the current password, then store the new one; this browser stays logged in."""
    address = request.client.host if request.client else "-"
    refused = _current_password_problem(throttle, staff, address, current)
    if refused is not None:
        return _password_page(request, error=refused[0], status=refused[1])
    problem = new_password_problem(current, new, repeated)
    if problem is not None:
        return _password_page(request, error=problem, status=422)
    changed = replace_password(db, staff, new)
    db.commit()
    response = see_other(request, PASSWORD_PATH, success=texts.PASSWORD_CHANGED)
    set_session_cookie(response, request, settings, staff_id=staff.id, began=changed)
    return response
