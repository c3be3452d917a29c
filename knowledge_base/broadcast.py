"""Announcement deliveries: one row per (announcement, occurrence, chat), created before sending.

Rows are the ledger that makes a broadcast crash-safe: a row is marked ``sent`` right after
Telegram accepts the message, so a restarted sender only works through rows still ``pending``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlmodel import Session, col, func, select

from knowledge_base.models import (
    Announcement,
    AnnouncementDelivery,
    Chat,
    DeliveryStatus,
    utcnow,
)


def recipients(session: Session, announcement: Announcement) -> list[int]:
    """Ids of subscribed, unblocked chats in the announcement's audience.

    A chat that chose kecamatan receives announcements for any of them; a chat that chose none
    receives everything; an announcement without areas goes to every subscriber.
    """
    chats = session.exec(
        select(Chat.id, Chat.subscription_areas).where(Chat.subscribed, ~col(Chat.blocked))
    ).all()
    wanted = set(announcement.audience_areas or [])
    return [chat_id for chat_id, areas in chats if not wanted or not areas or wanted & set(areas)]


def create_deliveries(session: Session, announcement: Announcement, occurrence: int = 0) -> int:
    """Insert the missing delivery rows for one occurrence; returns how many were added."""
    existing = set(
        session.exec(
            select(AnnouncementDelivery.chat_id).where(
                AnnouncementDelivery.announcement_id == announcement.id,
                AnnouncementDelivery.occurrence == occurrence,
            )
        ).all()
    )
    now = utcnow()
    rows = [
        {
            "announcement_id": announcement.id,
            "occurrence": occurrence,
            "chat_id": chat_id,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for chat_id in recipients(session, announcement)
        if chat_id not in existing
    ]
    if rows:
        session.execute(insert(AnnouncementDelivery), rows)
    return len(rows)


def pending(
    session: Session, announcement_id: int, *, limit: int, after_id: int = 0
) -> Sequence[tuple[AnnouncementDelivery, int]]:
    """Pending rows (with the Telegram chat id) in id order, for the sender to work through."""
    return session.exec(
        select(AnnouncementDelivery, Chat.telegram_chat_id)
        .join(Chat, Chat.id == AnnouncementDelivery.chat_id)
        .where(
            AnnouncementDelivery.announcement_id == announcement_id,
            AnnouncementDelivery.status == DeliveryStatus.PENDING,
            AnnouncementDelivery.id > after_id,
        )
        .order_by(AnnouncementDelivery.id)
        .limit(limit)
    ).all()


def delivery_report(session: Session, announcement_id: int) -> dict[str, int]:
    """How many rows are sent, failed, blocked and pending."""
    counts = dict(
        session.exec(
            select(AnnouncementDelivery.status, func.count())
            .where(AnnouncementDelivery.announcement_id == announcement_id)
            .group_by(AnnouncementDelivery.status)
        ).all()
    )
    return {status.value: counts.get(status.value, 0) for status in DeliveryStatus}
