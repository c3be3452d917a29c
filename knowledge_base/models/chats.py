"""Telegram chats (citizens and groups) the bot has talked to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, String
from sqlmodel import Field, SQLModel

from knowledge_base.models.base import UTCDateTime, utcnow


class Chat(SQLModel, table=True):
    """A private chat or group, with its announcement subscription."""

    __tablename__ = "chat"

    id: int | None = Field(default=None, primary_key=True)
    telegram_chat_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    kind: str = Field(default="private", sa_type=String(16))
    first_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    subscribed: bool = Field(default=False, index=True)
    # Kecamatan names the subscriber chose; empty means every announcement.
    subscription_areas: list[str] = Field(default_factory=list, sa_type=JSON)
    subscribed_by_user_id: int | None = Field(default=None, sa_type=BigInteger)
    subscribed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    blocked: bool = Field(default=False)
    language: str = Field(default="id", sa_type=String(8))
