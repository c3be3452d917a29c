"""How fast the outbox may send: a global rate, one message per chat per interval (slower for
groups), and a pause for everyone when Telegram answers 429."""

from __future__ import annotations

import asyncio
import time

from aiolimiter import AsyncLimiter

# A bucket of a fifth of a second's messages: smooth, yet no idle gaps between claims.
BURST_SECONDS = 0.2
PRUNE_ABOVE = 5_000  # per-chat limiters kept before idle ones are dropped


class Pacer:
    """Every send waits for its chat's turn, the global rate and the end of any pause."""

    def __init__(self, rate: float, per_chat_interval: float, group_interval: float) -> None:
        burst = max(1.0, round(rate * BURST_SECONDS))
        self._global = AsyncLimiter(burst, burst / rate)
        self.per_chat_interval = per_chat_interval
        self.group_interval = max(group_interval, per_chat_interval)
        self._chats: dict[int, AsyncLimiter] = {}
        self._resume_at = 0.0

    def pause(self, seconds: float) -> None:
        """Stop every send for ``seconds`` (Telegram's ``retry_after``)."""
        self._resume_at = max(self._resume_at, time.monotonic() + seconds)

    @property
    def paused_for(self) -> float:
        """Seconds left of the current pause (0 when not paused)."""
        return max(0.0, self._resume_at - time.monotonic())

    async def until_resumed(self) -> None:
        """Return once no pause is in force (a pause may be extended while waiting)."""
        while (wait := self.paused_for) > 0:
            await asyncio.sleep(wait)

    async def wait_turn(self, chat_id: int) -> None:
        """Wait until a message to ``chat_id`` may go out now."""
        limiter = self._chat_limiter(chat_id)
        if limiter is not None:
            await limiter.acquire()
        await self.until_resumed()
        await self._global.acquire()
        # A 429 may have arrived while this send waited for the global rate.
        await self.until_resumed()

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter | None:
        # Telegram ids of groups are negative; groups get fewer messages per minute.
        interval = self.group_interval if chat_id < 0 else self.per_chat_interval
        if interval <= 0:
            return None
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) > PRUNE_ABOVE:
                self._chats = {k: v for k, v in self._chats.items() if not v.has_capacity()}
            limiter = self._chats[chat_id] = AsyncLimiter(1, interval)
        return limiter
