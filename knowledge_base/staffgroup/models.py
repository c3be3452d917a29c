"""The staff group an admin chose from Telegram (``/jadikangrupstaf``); the setting
``TANYAPEMILU_STAFF_CHAT_ID``, when given, wins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

import knowledge_base.staff.models  # noqa: F401  (foreign-key target: staff_user)
from knowledge_base.core.columns import UTCDateTime, utcnow


class StaffGroup(SQLModel, table=True):
    """A single row: the Telegram group where escalations are posted."""

    __tablename__ = "staff_group"

    id: int = Field(default=1, primary_key=True)
    telegram_chat_id: int = Field(sa_type=BigInteger)
    set_by_id: int | None = Field(default=None, foreign_key="staff_user.id", ondelete="SET NULL")
    set_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
