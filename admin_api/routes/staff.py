"""Staff accounts, managed by admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlmodel import func, select

from admin_api.deps import CurrentAdmin, CurrentStaff, IdPath, SessionDep
from admin_api.schemas import StaffCreate, StaffList, StaffPublic
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser

router = APIRouter(prefix="/staff", tags=["staff"])


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
    if session.exec(select(StaffUser).where(StaffUser.username == body.username)).first():
        raise HTTPException(status.HTTP_409_CONFLICT, "Nama pengguna sudah dipakai.")
    user = create_staff(
        session,
        username=body.username,
        password=body.password,
        role=body.role,
        full_name=body.full_name,
    )
    record_action(
        session,
        staff=admin,
        action="staff.create",
        resource_type="staff",
        resource_id=user.id,
        detail={"username": user.username, "role": str(user.role)},
    )
    session.commit()
    return user


@router.post("/{staff_id}/deactivate", response_model=StaffPublic)
def deactivate_staff(staff_id: IdPath, session: SessionDep, admin: CurrentAdmin) -> StaffUser:
    """Revoke an account's access at once (admins only)."""
    user = session.get(StaffUser, staff_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    if user.id == admin.id:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, "Anda tidak dapat menonaktifkan akun sendiri."
        )
    user.is_active = False
    session.add(user)
    record_action(
        session, staff=admin, action="staff.deactivate", resource_type="staff", resource_id=user.id
    )
    session.commit()
    return user
