"""The Telegram sender the staff API uses for test copies of announcements (same bot, same
rate limiter). Messages the product sends on its own go through the outbox instead
(``bot/outbox_transport.py``)."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError

from bot.formatting import split_message
from knowledge_base.core.messaging import SendResult
from knowledge_base.followup.models import ReplyStatus

logger = logging.getLogger(__name__)


class TelegramMessenger:
    """Sends Telegram HTML to one chat through the running bot (staff test copies)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_html(self, chat_id: int, html: str) -> SendResult:
        try:
            for chunk in split_message(html):
                await self.bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML)
        except Forbidden as exc:  # blocked, deactivated or kicked
            return SendResult(ReplyStatus.BLOCKED, str(exc))
        except TelegramError as exc:
            logger.warning("reply to chat %s failed: %s", chat_id, exc)
            return SendResult(ReplyStatus.FAILED, str(exc))
        return SendResult(ReplyStatus.SENT)
