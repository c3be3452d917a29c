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
    """Sends Telegram HTML to one chat (staff test copies; the bot implements it)."""

    async def send_html(self, chat_id: int, html: str) -> SendResult: ...
