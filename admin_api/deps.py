"""Dependencies every route needs, as typed aliases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.security import LoginThrottle, read_access_token
from knowledge_base.core.messaging import Messenger
from knowledge_base.core.settings import Settings
from knowledge_base.staff.models import StaffRole, StaffUser

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def get_throttle(request: Request) -> LoginThrottle:
    return request.app.state.login_throttle


def get_messenger(request: Request) -> Messenger | None:
    return request.app.state.messenger


def _no_outbox_to_wake() -> None:
    """Without a sender in this process, the next poll of any sender finds the rows."""


def get_outbox_wake(request: Request) -> Callable[[], None]:
    """Wakes the outbox sender of this process after a commit that queued messages."""
    return request.app.state.wake_outbox or _no_outbox_to_wake


MAX_ID = 2**31 - 1  # ids beyond this cannot exist (and overflow SQLite integers)
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]

SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
ThrottleDep = Annotated[LoginThrottle, Depends(get_throttle)]
MessengerDep = Annotated[Messenger | None, Depends(get_messenger)]
OutboxWakeDep = Annotated[Callable[[], None], Depends(get_outbox_wake)]


def get_current_staff(
    session: SessionDep, settings: SettingsDep, token: Annotated[str, Depends(oauth2_scheme)]
) -> StaffUser:
    """The active staff member named by the bearer token (checked against the database on
    every request, so deactivation takes effect at once)."""
    staff_id = read_access_token(settings, token)
    staff = session.get(StaffUser, staff_id) if staff_id is not None else None
    if staff is None or not staff.is_active:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Sesi tidak valid atau telah berakhir. Silakan masuk kembali.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return staff


CurrentStaff = Annotated[StaffUser, Depends(get_current_staff)]


def get_current_admin(staff: CurrentStaff) -> StaffUser:
    if staff.role != StaffRole.ADMIN:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Hanya admin yang dapat melakukan ini.")
    return staff


CurrentAdmin = Annotated[StaffUser, Depends(get_current_admin)]
