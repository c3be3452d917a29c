"""Staff accounts: password hashing, the first administrator, and what admins do to accounts
(create, set a password, deactivate, reactivate), each recorded in the audit log.

A password change or a deactivation in the audit log ends every console session of that
account begun before it (see ``admin_api.console.sessions``)."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache

from pwdlib import PasswordHash
from sqlmodel import Session, col, select

from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffRole, StaffUser

_hasher = PasswordHash.recommended()  # argon2id

PASSWORD_CHANGE = "staff.password_change"
DEACTIVATE = "staff.deactivate"
REACTIVATE = "staff.reactivate"
CREATE = "staff.create"
# No 0/O, 1/l/I: a generated password is read off a screen and typed elsewhere.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS = 4
PASSWORD_GROUP_LENGTH = 4


class AccountRefused(ValueError):
    """An account change the rules refuse; its text tells staff why, in Indonesian."""


class UsernameTaken(AccountRefused):
    def __init__(self) -> None:
        super().__init__("Nama pengguna ini sudah dipakai. Silakan pilih nama lain.")


class OwnAccountRefused(AccountRefused):
    """What an admin may not do to their own account."""


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


def generate_password() -> str:
    """A random password such as ``hq7m-4xtp-ab2k-9wfd`` (about 80 bits), easy to copy out."""
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def list_accounts(session: Session) -> list[StaffUser]:
    """Every account: active ones first, then by name."""
    query = select(StaffUser).order_by(
        col(StaffUser.is_active).desc(), StaffUser.full_name, StaffUser.username
    )
    return list(session.exec(query).all())


def add_account(
    session: Session,
    *,
    admin: StaffUser,
    username: str,
    password: str,
    role: StaffRole = StaffRole.STAFF,
    full_name: str = "",
) -> StaffUser:
    """Create an account for ``admin`` (audited); ``UsernameTaken`` if the name is in use.
    The caller commits."""
    if session.exec(select(StaffUser.id).where(StaffUser.username == username)).first():
        raise UsernameTaken
    user = create_staff(
        session, username=username, password=password, role=role, full_name=full_name
    )
    detail = {"username": user.username, "role": str(user.role)}
    record_action(
        session,
        staff=admin,
        action=CREATE,
        resource_type="staff",
        resource_id=user.id,
        detail=detail,
    )
    return user


def replace_password(
    session: Session, staff: StaffUser, new: str, *, by: StaffUser | None = None
) -> datetime:
    """Store ``new`` for ``staff`` (set by ``by``, an admin, or by themselves), ending every
    session of the account begun before now; returns that moment, from which a session is
    valid again. The caller commits."""
    staff.password_hash = hash_password(new)
    session.add(staff)
    entry = record_action(
        session,
        staff=by or staff,
        action=PASSWORD_CHANGE,
        resource_type="staff",
        resource_id=staff.id,
        detail={"set_by_admin": True} if by is not None else {},
    )
    return entry.created_at


def reset_password(session: Session, *, admin: StaffUser, target: StaffUser, new: str) -> datetime:
    """An admin sets another account's password (their own needs the current one, through
    the account's own password change). The caller commits."""
    if target.id == admin.id:
        raise OwnAccountRefused("Kata sandi akun Anda sendiri diubah melalui menu Ubah kata sandi.")
    return replace_password(session, target, new, by=admin)


def deactivate_account(session: Session, *, admin: StaffUser, target: StaffUser) -> None:
    """Switch ``target`` off at once (its sessions and tokens stop working); an admin cannot
    switch themselves off. The caller commits."""
    if target.id == admin.id:
        raise OwnAccountRefused("Anda tidak dapat menonaktifkan akun sendiri.")
    target.is_active = False
    session.add(target)
    record_action(
        session, staff=admin, action=DEACTIVATE, resource_type="staff", resource_id=target.id
    )


def reactivate_account(session: Session, *, admin: StaffUser, target: StaffUser) -> None:
    """Let ``target`` log in again (sessions from before the deactivation stay ended). The
    caller commits."""
    target.is_active = True
    session.add(target)
    record_action(
        session, staff=admin, action=REACTIVATE, resource_type="staff", resource_id=target.id
    )
