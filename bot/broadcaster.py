"""Sends an announcement to every pending delivery row at a global rate, surviving failures.

429 pauses all sending for ``retry_after``; 403 (blocked, deactivated, kicked) marks the row
``blocked`` and unsubscribes the chat; timeouts and 5xx are retried with backoff up to a limit,
then ``failed`` with the error kept; 400 fails at once. One bad recipient never stops the run.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.formatting import split_message
from knowledge_base import announcing
from knowledge_base.broadcast import create_deliveries, delivery_report, pending
from knowledge_base.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementStatus,
    Chat,
    DeliveryStatus,
    utcnow,
)

logger = logging.getLogger(__name__)
BATCH = 500


@dataclass(frozen=True)
class BroadcastPolicy:
    """How fast and how stubbornly to send."""

    rate_per_second: float = 25.0
    per_chat_interval: float = 1.0
    max_attempts: int = 5
    backoff_seconds: float = 0.5
    workers: int = 8


class RateGate:
    """A global pace: at most ``rate`` sends per second; a 429 pauses everyone."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = time.monotonic()
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def pause(self, seconds: float) -> None:
        self._next = max(self._next, time.monotonic() + seconds)


def _retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after  # an int today, a timedelta in future PTB versions
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


class Broadcaster:
    """Works through the pending rows of one announcement."""

    def __init__(self, db: Engine, bot: Bot, policy: BroadcastPolicy | None = None) -> None:
        self.db = db
        self.bot = bot
        self.policy = policy or BroadcastPolicy()
        self.gate = RateGate(self.policy.rate_per_second)
        self._last_to_chat: dict[int, float] = {}

    async def send(self, announcement_id: int, occurrence: int = 0) -> dict[str, int]:
        """Create missing rows, deliver every pending one, and return the delivery report."""
        with Session(self.db, expire_on_commit=False) as session:
            announcement = session.get(Announcement, announcement_id)
            if announcement is None:
                raise LookupError(f"announcement {announcement_id} not found")
            create_deliveries(session, announcement, occurrence)
            announcement.status = AnnouncementStatus.SENDING
            session.add(announcement)
            session.commit()
            text = announcing.announcement_text(announcement)
        await self._drain(announcement_id, text)
        with Session(self.db) as session:
            report = delivery_report(session, announcement_id)
            announcement = session.get(Announcement, announcement_id)
            if report["pending"] == 0:
                announcement.status = AnnouncementStatus.SENT
                announcement.sent_at = utcnow()
                session.add(announcement)
                session.commit()
        return report

    async def _drain(self, announcement_id: int, text: str) -> None:
        after = 0
        while True:
            with Session(self.db) as session:
                batch = [
                    (row.id, chat)
                    for row, chat in pending(session, announcement_id, limit=BATCH, after_id=after)
                ]
            if not batch:
                return
            after = batch[-1][0]
            queue: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
            for item in batch:
                queue.put_nowait(item)
            await asyncio.gather(*(self._worker(queue, text) for _ in range(self.policy.workers)))

    async def _worker(self, queue: asyncio.Queue[tuple[int, int]], text: str) -> None:
        while not queue.empty():
            row_id, telegram_chat_id = queue.get_nowait()
            await self._deliver(row_id, telegram_chat_id, text)

    async def _deliver(self, row_id: int, chat_id: int, text: str) -> None:
        attempts = 0
        while True:
            await self._pace(chat_id)
            attempts += 1
            try:
                message_id = await self._send_message(chat_id, text)
            except RetryAfter as exc:
                seconds = _retry_seconds(exc)
                self.gate.pause(seconds)
                attempts -= 1  # flood control is Telegram's pacing, not this chat's failure
                continue
            except Forbidden as exc:
                self._finish(row_id, DeliveryStatus.BLOCKED, attempts, error=str(exc))
                return
            except BadRequest as exc:
                self._finish(row_id, DeliveryStatus.FAILED, attempts, error=str(exc))
                return
            except TelegramError as exc:  # timeouts, network errors and 5xx: retry
                if attempts >= self.policy.max_attempts:
                    self._finish(row_id, DeliveryStatus.FAILED, attempts, error=str(exc))
                    return
                await asyncio.sleep(self.policy.backoff_seconds * 2 ** (attempts - 1))
                continue
            self._finish(row_id, DeliveryStatus.SENT, attempts, message_id=message_id)
            return

    async def _pace(self, chat_id: int) -> None:
        last = self._last_to_chat.get(chat_id)
        if last is not None:
            wait = self.policy.per_chat_interval - (time.monotonic() - last)
            if wait > 0:
                await asyncio.sleep(wait)
        await self.gate.wait()
        self._last_to_chat[chat_id] = time.monotonic()

    async def _send_message(self, chat_id: int, text: str) -> int:
        message_id = 0
        for chunk in split_message(text):
            message = await self.bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML)
            message_id = message.message_id
        return message_id

    def _finish(
        self,
        row_id: int,
        status: DeliveryStatus,
        attempts: int,
        *,
        error: str | None = None,
        message_id: int | None = None,
    ) -> None:
        """Record the outcome at once: a sent row is never sent again after a crash."""
        values: dict[str, object] = {"status": status, "attempts": attempts, "last_error": error}
        if status == DeliveryStatus.SENT:
            values.update(sent_at=utcnow(), telegram_message_id=message_id)
        with Session(self.db) as session:
            session.execute(
                update(AnnouncementDelivery)
                .where(AnnouncementDelivery.id == row_id)
                .values(**values)
            )
            if status == DeliveryStatus.BLOCKED:
                chat_id = select(AnnouncementDelivery.chat_id).where(
                    AnnouncementDelivery.id == row_id
                )
                session.execute(
                    update(Chat)
                    .where(Chat.id == chat_id.scalar_subquery())
                    .values(subscribed=False, blocked=True)
                )
            session.commit()
