"""How fast and how stubbornly the outbox sends (the defaults suit Telegram's limits)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutboxPolicy:
    """How fast and how stubbornly to send."""

    rate_per_second: float = 25.0
    per_chat_interval: float = 1.0  # Telegram: about one message per second per chat
    group_interval: float = 3.0  # Telegram: about 20 messages per minute per group
    max_attempts: int = 6
    backoff_seconds: float = 2.0  # first retry after a transient error; doubles each time
    max_backoff_seconds: float = 300.0
    workers: int = 8  # requests in flight: also the bound on duplicates after a crash
    lease_seconds: float = 15.0  # a row ``sending`` longer than this without renewal is requeued
    poll_seconds: float = 1.0  # how often to look for due rows when nobody wakes the sender
    stop_grace_seconds: float = 10.0

    @property
    def capacity(self) -> int:
        """Rows held at once: about a second of sending, at least two per worker."""
        return max(self.workers * 2, min(int(self.rate_per_second), 500))

    def backoff(self, attempts: int) -> float:
        """Seconds before attempt ``attempts + 1`` after a transient error."""
        return min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (attempts - 1))
