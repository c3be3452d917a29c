"""Staff accounts and the audit trail of what they did."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, String
from sqlmodel import Field, SQLModel

from knowledge_base.core.columns import UTCDateTime, utcnow


class StaffRole(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"


class StaffUser(SQLModel, table=True):
    """An office member who answers questions and edits content; never exposes its hash."""

    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=String(80), unique=True, index=True)
    full_name: str = Field(default="", sa_type=String(160))
    password_hash: str = Field(sa_type=String(255))
    role: str = Field(default=StaffRole.STAFF, sa_type=String(16))
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The staff member's own Telegram account, linked with a one-time code and /tautkan.
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    telegram_link_code_hash: str | None = Field(default=None, sa_type=String(64))
    telegram_link_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditLog(SQLModel, table=True):
    """One staff action: who did what to which resource, and when."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id", ondelete="SET NULL")
    action: str = Field(sa_type=String(60), index=True)
    resource_type: str = Field(sa_type=String(60))
    resource_id: str | None = Field(default=None, sa_type=String(80))
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
