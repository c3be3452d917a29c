"""Sends an announcement occurrence through the outbox and waits until it is delivered.

The rows are written in one transaction with the announcement's move to ``sending``; the
process's outbox sender delivers them when one is given (the composition root's), otherwise a
sender of this broadcaster's own works through this announcement's rows only (the
``announcements send`` command). Either way pacing, retries, 429 pauses and blocked chats are
the outbox's rules, written once in ``knowledge_base/outbox``.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.engine import Engine
from telegram import Bot

from bot.outbox_transport import TelegramTransport
from knowledge_base.announcements.delivery import (
    announcement_ref,
    delivery_report,
    finish_broadcasts,
    start_broadcast,
)
from knowledge_base.core.db import session_scope
from knowledge_base.outbox.flows import OutboxSender
from knowledge_base.outbox.policy import OutboxPolicy

# The policy of the outbox sender that delivers a broadcast (kept under its former name).
BroadcastPolicy = OutboxPolicy


class Broadcaster:
    """Delivers announcements, through ``outbox`` when it runs, else with ``bot`` directly."""

    def __init__(
        self,
        db: Engine,
        bot: Bot,
        policy: OutboxPolicy | None = None,
        *,
        outbox: OutboxSender | None = None,
    ) -> None:
        self.db = db
        self.bot = bot
        self.policy = policy or OutboxPolicy()
        self.outbox = outbox

    async def send(
        self,
        announcement_id: int,
        occurrence: int | None = None,
        *,
        only_if_scheduled: bool = False,
    ) -> dict[str, int] | None:
        """Enqueue the occurrence (resuming one being sent), deliver it, close it and return
        its delivery report; ``None`` when ``only_if_scheduled`` and another run has it."""
        occurrence = await asyncio.to_thread(
            self._start, announcement_id, occurrence, only_if_scheduled
        )
        if occurrence is None:
            return None
        ref = announcement_ref(announcement_id, occurrence)
        if self.outbox is not None and self.outbox.running:
            await self.outbox.wait_settled(ref)
        else:
            transport = TelegramTransport(self.bot)
            sender = OutboxSender(self.db, transport, self.policy, housekeeping=[finish_broadcasts])
            await sender.drain(ref)
        return await asyncio.to_thread(self._finish, announcement_id, occurrence)

    def _start(
        self, announcement_id: int, occurrence: int | None, only_if_scheduled: bool
    ) -> int | None:
        with session_scope(self.db) as session:
            return start_broadcast(
                session,
                announcement_id=announcement_id,
                occurrence=occurrence,
                only_if_scheduled=only_if_scheduled,
            )

    def _finish(self, announcement_id: int, occurrence: int) -> dict[str, int]:
        with session_scope(self.db) as session:
            finish_broadcasts(session)
            return delivery_report(session, announcement_id, occurrence)
