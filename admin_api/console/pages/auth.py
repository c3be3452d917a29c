"""Logging in and out of the console, throttled exactly like ``POST /auth/token``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from admin_api.console import texts
from admin_api.console.addresses import LOGIN_PATH, safe_next
from admin_api.console.deps import ConsoleDb, ConsoleSessionDep
from admin_api.console.rendering import render, see_other
from admin_api.console.sessions import (
    active_session,
    clear_session_cookie,
    end_session,
    set_session_cookie,
)
from admin_api.deps import SettingsDep, ThrottleDep
from admin_api.security import CONSOLE_SESSION_COOKIE
from knowledge_base.core.columns import utcnow
from knowledge_base.staff.accounts import authenticate
from knowledge_base.staff.audit import record_action

router = APIRouter()
FormText = Annotated[str, Form()]


def _login_page(
    request: Request, *, next_path: str, username: str = "", error: str = "", status: int = 200
) -> Response:
    page = {"title": "Masuk", "next": next_path, "username": username, "error": error}
    return render(request, "login.html", page, status_code=status)


@router.get("/")
@router.get("/masuk")
def login_form(
    request: Request,
    db: ConsoleDb,
    settings: SettingsDep,
    next_path: Annotated[str, Query(alias="next")] = "",
) -> Response:
    """The login page; someone already logged in goes straight on."""
    if active_session(db, settings, request.cookies.get(CONSOLE_SESSION_COOKIE)) is not None:
        return RedirectResponse(safe_next(next_path), status_code=303)
    return _login_page(request, next_path=next_path)


@router.post("/masuk")
def log_in(
    request: Request,
    db: ConsoleDb,
    settings: SettingsDep,
    throttle: ThrottleDep,
    username: FormText = "",
    password: FormText = "",
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    """Check the credentials, begin a session and go to the page asked for (or the inbox)."""
    address = request.client.host if request.client else "-"
    if throttle.blocked(username, address):
        return _login_page(
            request,
            next_path=next_path,
            username=username,
            error=texts.TOO_MANY_ATTEMPTS,
            status=429,
        )
    staff = authenticate(db, username=username, password=password)
    if staff is None:
        throttle.failed(username, address)
        return _login_page(
            request,
            next_path=next_path,
            username=username,
            error=texts.WRONG_CREDENTIALS,
            status=400,
        )
    throttle.succeeded(username, address)
    began = utcnow()
    staff.last_login_at = began
    db.add(staff)
    record_action(
        db,
        staff=staff,
        action="login",
        resource_type="staff",
        resource_id=staff.id,
        detail={"via": "console"},
    )
    db.commit()
    response = see_other(request, safe_next(next_path))
    set_session_cookie(response, request, settings, staff_id=staff.id, began=began)
    return response


@router.post("/keluar")
def log_out(request: Request, active: ConsoleSessionDep, db: ConsoleDb) -> Response:
    """End this browser's session and show the login page."""
    end_session(db, active)
    db.commit()
    response = see_other(request, LOGIN_PATH, success=texts.LOGGED_OUT)
    clear_session_cookie(response, request)
    return response
