"""Linking a staff member's own Telegram account: the console shows a one-time code, the staff
member sends ``/tautkan CODE`` to the bot in a private chat. Only the code's hash is stored;
it expires after ``LINK_CODE_MINUTES`` and works once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from knowledge_base.core.columns import utcnow
from knowledge_base.staff.models import StaffUser

LINK_CODE_MINUTES = 15
# No 0/O, 1/I/L: the code is read off a screen and typed on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    """The code as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def issue_link_code(session: Session, staff: StaffUser, now: datetime | None = None) -> str:
    """A new code for ``staff`` (an earlier one stops working), shown as ``ABCD-EFGH``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    staff.telegram_link_code_hash = _hash(raw)
    staff.telegram_link_expires_at = (now or utcnow()) + timedelta(minutes=LINK_CODE_MINUTES)
    session.add(staff)
    return f"{raw[:4]}-{raw[4:]}"


def link_telegram_account(
    session: Session, *, code: str, telegram_user_id: int, now: datetime | None = None
) -> StaffUser | None:
    """The active staff member whose unexpired code this is, now linked to the Telegram user
    (unlinked from any other staff account); ``None`` for an unknown or expired code."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    staff = session.exec(
        select(StaffUser).where(
            StaffUser.telegram_link_code_hash == _hash(code),
            StaffUser.is_active.is_(True),
        )
    ).first()
    expires = staff.telegram_link_expires_at if staff is not None else None
    if staff is None or expires is None or expires < (now or utcnow()):
        return None
    session.execute(
        update(StaffUser)
        .where(StaffUser.telegram_user_id == telegram_user_id, StaffUser.id != staff.id)
        .values(telegram_user_id=None)
    )
    staff.telegram_user_id = telegram_user_id
    staff.telegram_link_code_hash = None
    staff.telegram_link_expires_at = None
    session.add(staff)
    return staff


def pending_code_expiry(staff: StaffUser, now: datetime | None = None) -> datetime | None:
    """When the code last issued to ``staff`` expires, while it still works; else ``None``."""
    expires = staff.telegram_link_expires_at
    if staff.telegram_link_code_hash is None or expires is None or expires < (now or utcnow()):
        return None
    return expires


def unlink_telegram_account(session: Session, staff: StaffUser) -> None:
    """Forget ``staff``'s Telegram account and any code not used yet."""
    staff.telegram_user_id = None
    staff.telegram_link_code_hash = None
    staff.telegram_link_expires_at = None
    session.add(staff)
