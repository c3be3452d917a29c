"""Staff accounts: password hashing and the first administrator."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash
from sqlmodel import Session, select

from knowledge_base.staff.models import StaffRole, StaffUser

_hasher = PasswordHash.recommended()  # argon2id


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches ``password_hash``."""
    return _hasher.verify(password, password_hash)


@cache
def _dummy_hash() -> str:
    return hash_password("tanyapemilu-dummy-password")


def authenticate(session: Session, *, username: str, password: str) -> StaffUser | None:
    """The active account with these credentials, else ``None``.

    An unknown or inactive username is checked against a dummy hash, so the answer takes
    as long as for a real account and does not reveal which usernames exist.
    """
    staff = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
    if staff is None or not staff.is_active:
        verify_password(password, _dummy_hash())
        return None
    return staff if verify_password(password, staff.password_hash) else None


def create_staff(
    session: Session, *, username: str, password: str, role: StaffRole, full_name: str = ""
) -> StaffUser:
    """Add a staff account; the caller commits."""
    user = StaffUser(
        username=username, full_name=full_name, password_hash=hash_password(password), role=role
    )
    session.add(user)
    session.flush()
    return user


def ensure_bootstrap_admin(session: Session, *, username: str, password: str) -> StaffUser | None:
    """Create the configured admin when no staff account exists yet; otherwise do nothing."""
    if session.exec(select(StaffUser.id).limit(1)).first() is not None:
        return None
    return create_staff(session, username=username, password=password, role=StaffRole.ADMIN)
