"""Which chat is the staff group, and which staff member a Telegram user is."""

from __future__ import annotations

from sqlmodel import Session, select

from knowledge_base.conversations.models import Chat
from knowledge_base.conversations.service import touch_chat
from knowledge_base.core.columns import utcnow
from knowledge_base.core.settings import Settings
from knowledge_base.staff.models import StaffRole, StaffUser
from knowledge_base.staffgroup.models import StaffGroup


def staff_group_chat_id(session: Session, settings: Settings) -> int | None:
    """The staff group's Telegram chat id: the setting, else the one an admin chose."""
    if settings.staff_chat_id is not None:
        return settings.staff_chat_id
    chosen = session.get(StaffGroup, 1)
    return chosen.telegram_chat_id if chosen else None


def staff_group_chat(session: Session, settings: Settings) -> Chat | None:
    """Our chat row of the staff group (made on first use), or ``None`` without a group."""
    telegram_chat_id = staff_group_chat_id(session, settings)
    if telegram_chat_id is None:
        return None
    return touch_chat(session, telegram_chat_id=telegram_chat_id, kind="group")


def linked_staff(session: Session, telegram_user_id: int) -> StaffUser | None:
    """The active staff member who linked this Telegram account, if any."""
    return session.exec(
        select(StaffUser).where(
            StaffUser.telegram_user_id == telegram_user_id, StaffUser.is_active.is_(True)
        )
    ).first()


class NotAnAdmin(Exception):
    """Only a linked admin may choose the staff group."""


def choose_staff_group(session: Session, *, telegram_chat_id: int, telegram_user_id: int) -> None:
    """Make this group the staff group, on the word of a linked, active admin."""
    staff = linked_staff(session, telegram_user_id)
    if staff is None or staff.role != StaffRole.ADMIN:
        raise NotAnAdmin
    group = session.get(StaffGroup, 1) or StaffGroup(id=1, telegram_chat_id=telegram_chat_id)
    group.telegram_chat_id = telegram_chat_id
    group.set_by_id = staff.id
    group.set_at = utcnow()
    session.add(group)
