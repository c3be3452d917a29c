"""OAuth2 password login issuing short-lived signed tokens, throttled per user and address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from admin_api.deps import SessionDep, SettingsDep, ThrottleDep
from admin_api.schemas import Token
from admin_api.security import create_access_token
from knowledge_base.core.columns import utcnow
from knowledge_base.staff.accounts import authenticate
from knowledge_base.staff.audit import record_action

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=Token)
def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    throttle: ThrottleDep,
) -> Token:
    """Exchange username and password for a bearer token."""
    address = request.client.host if request.client else "-"
    if throttle.blocked(form.username, address):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS)
    staff = authenticate(session, username=form.username, password=form.password)
    if staff is None:
        throttle.failed(form.username, address)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Nama pengguna atau kata sandi salah.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    throttle.succeeded(form.username, address)
    staff.last_login_at = utcnow()
    session.add(staff)
    record_action(session, staff=staff, action="login", resource_type="staff", resource_id=staff.id)
    session.commit()
    return Token(access_token=create_access_token(settings, staff_id=staff.id))
