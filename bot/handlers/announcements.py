"""/pengumuman: the latest announcements that were sent to subscribers."""

from __future__ import annotations

import asyncio

from sqlmodel import select
from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.formatting import escape
from bot.handlers.common import send_html
from bot.services import BotServices, services
from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.knowledge.stage_calendar import format_date

LATEST = 5


def _latest_sent(svc: BotServices) -> list[Announcement]:
    with svc.session() as session:
        query = (
            select(Announcement)
            .where(Announcement.status == AnnouncementStatus.SENT)
            .order_by(Announcement.sent_at.desc())
            .limit(LATEST)
        )
        return list(session.exec(query).all())


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The citizen sees the titles and bodies of the last announcements sent."""
    svc = services(context)
    rows = await asyncio.to_thread(_latest_sent, svc)
    if not rows:
        await send_html(update.effective_message, texts.ANNOUNCEMENTS_NONE)
        return
    zone = svc.settings.zone
    parts = [
        f"<b>{escape(a.title)}</b> ({format_date(a.sent_at.astimezone(zone).date())})\n{a.body}"
        for a in rows
    ]
    await send_html(update.effective_message, "\n\n".join(parts))
