"""Staff accounts, managed by admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field
from sqlmodel import Session, func, select

from admin_api.deps import CurrentAdmin, CurrentStaff, IdPath, SessionDep
from admin_api.schemas import StaffCreate, StaffList, StaffPublic
from knowledge_base.core.settings import MIN_PASSWORD_CHARS
from knowledge_base.staff.accounts import (
    OwnAccountRefused,
    UsernameTaken,
    add_account,
    deactivate_account,
    reactivate_account,
    reset_password,
)
from knowledge_base.staff.models import StaffUser

router = APIRouter(prefix="/staff", tags=["staff"])


class PasswordReset(BaseModel):
    """The new password an admin sets for another account."""

    model_config = {"json_schema_extra": {"examples": [{"password": "kata-sandi-baru-456"}]}}

    password: str = Field(min_length=MIN_PASSWORD_CHARS, max_length=200)


def _account(session: Session, staff_id: int) -> StaffUser:
    user = session.get(StaffUser, staff_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    return user


@router.get("/me", response_model=StaffPublic)
def read_me(staff: CurrentStaff) -> StaffUser:
    """The signed-in staff member."""
    return staff


@router.get("", response_model=StaffList)
def list_staff(
    session: SessionDep,
    admin: CurrentAdmin,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> StaffList:
    """Staff accounts in creation order (admins only)."""
    total = session.exec(select(func.count()).select_from(StaffUser)).one()
    rows = session.exec(select(StaffUser).order_by(StaffUser.id).offset(offset).limit(limit)).all()
    return StaffList(
        items=[StaffPublic.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.post("", response_model=StaffPublic, status_code=status.HTTP_201_CREATED)
def add_staff(body: StaffCreate, session: SessionDep, admin: CurrentAdmin) -> StaffUser:
    """Create an account (admins only)."""
    try:
        user = add_account(
            session,
            admin=admin,
            username=body.username,
            password=body.password,
            role=body.role,
            full_name=body.full_name,
        )
    except UsernameTaken as refused:
        raise HTTPException(status.HTTP_409_CONFLICT, str(refused)) from refused
    session.commit()
    return user


@router.post("/{staff_id}/deactivate", response_model=StaffPublic)
def deactivate_staff(staff_id: IdPath, session: SessionDep, admin: CurrentAdmin) -> StaffUser:
    """Revoke an account's access at once (admins only; not their own)."""
    user = _account(session, staff_id)
    try:
        deactivate_account(session, admin=admin, target=user)
    except OwnAccountRefused as refused:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(refused)) from refused
    session.commit()
    return user


@router.post("/{staff_id}/reactivate", response_model=StaffPublic)
def reactivate_staff(staff_id: IdPath, session: SessionDep, admin: CurrentAdmin) -> StaffUser:
    """Let a deactivated account sign in again (admins only)."""
    user = _account(session, staff_id)
    reactivate_account(session, admin=admin, target=user)
    session.commit()
    return user


@router.post("/{staff_id}/password", response_model=StaffPublic)
def set_staff_password(
    staff_id: IdPath, body: PasswordReset, session: SessionDep, admin: CurrentAdmin
) -> StaffUser:
    """Set another account's password; its console sessions end (admins only)."""
    user = _account(session, staff_id)
    try:
        reset_password(session, admin=admin, target=user, new=body.password)
    except OwnAccountRefused as refused:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(refused)) from refused
    session.commit()
    return user
