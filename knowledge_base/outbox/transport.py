"""What the outbox sender needs from a messaging channel: send HTML (with inline buttons) to a
chat or edit a message sent before, and say how it went.

The Telegram front implements ``Transport`` (``bot/outbox_transport.py``); the sender only
sees these outcomes, never a library's exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

# Rows of inline buttons, each [label, callback data].
Buttons = list[list[list[str]]]


class Outcome(StrEnum):
    SENT = "sent"
    RETRY_AFTER = "retry_after"  # flood control: wait ``retry_after`` seconds, then resend
    BLOCKED = "blocked"  # the chat refuses messages from the bot
    TRANSIENT = "transient"  # timeouts, network errors, 5xx: worth another attempt
    PERMANENT = "permanent"  # the request itself is wrong (400): retrying cannot help


@dataclass(frozen=True)
class TransportResult:
    """How one message fared."""

    outcome: Outcome
    message_id: int | None = None
    retry_after: float | None = None
    error: str | None = None

    @classmethod
    def sent(cls, message_id: int | None) -> TransportResult:
        return cls(Outcome.SENT, message_id=message_id)

    @classmethod
    def flood_wait(cls, seconds: float, error: str) -> TransportResult:
        return cls(Outcome.RETRY_AFTER, retry_after=seconds, error=error)

    @classmethod
    def blocked(cls, error: str) -> TransportResult:
        return cls(Outcome.BLOCKED, error=error)

    @classmethod
    def transient(cls, error: str) -> TransportResult:
        return cls(Outcome.TRANSIENT, error=error)

    @classmethod
    def permanent(cls, error: str) -> TransportResult:
        return cls(Outcome.PERMANENT, error=error)


class Transport(Protocol):
    """Sends one message (split as the channel requires) and never raises for a refusal."""

    async def start(self) -> None:
        """Open connections (called once before the first send)."""

    async def stop(self) -> None:
        """Release connections."""

    async def send(
        self, chat_id: int, html: str, buttons: Buttons | None = None
    ) -> TransportResult:
        """Send ``html`` (with inline ``buttons`` under it) to the channel's chat ``chat_id``."""
        ...

    async def edit(
        self, chat_id: int, message_id: int, html: str, buttons: Buttons | None = None
    ) -> TransportResult:
        """Replace the text (and buttons) of a message sent before; unchanged text is a success."""
        ...
