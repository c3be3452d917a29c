"""OAuth2 password login issuing short-lived signed tokens, throttled per user and address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlmodel import select

from admin_api.deps import SessionDep, SettingsDep, ThrottleDep
from admin_api.schemas import Token
from admin_api.security import create_access_token
from knowledge_base.audit import record_action
from knowledge_base.models import StaffUser, utcnow
from knowledge_base.staff import verify_password

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
    keys = (
        f"user:{form.username.lower()}",
        f"addr:{request.client.host if request.client else '-'}",
    )
    if throttle.blocked(*keys):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS)
    staff = session.exec(select(StaffUser).where(StaffUser.username == form.username)).first()
    if (
        staff is None
        or not staff.is_active
        or not verify_password(form.password, staff.password_hash)
    ):
        throttle.failed(*keys)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Nama pengguna atau kata sandi salah.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    throttle.succeeded(keys[0])
    staff.last_login_at = utcnow()
    session.add(staff)
    record_action(session, staff=staff, action="login", resource_type="staff", resource_id=staff.id)
    session.commit()
    return Token(access_token=create_access_token(settings, staff_id=staff.id))
