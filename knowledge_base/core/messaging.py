"""What the domain needs from a messaging channel: send a text to a chat, report the outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from knowledge_base.followup.models import ReplyStatus


@dataclass(frozen=True)
class SendResult:
    """How one message fared: sent, blocked (the citizen blocked the bot) or failed."""

    status: ReplyStatus
    error: str | None = None


class Messenger(Protocol):
    """Sends plain text to a chat (the bot's Telegram sender implements this)."""

    async def send_text(self, chat_id: int, text: str) -> SendResult: ...

    async def send_html(self, chat_id: int, html: str) -> SendResult: ...
