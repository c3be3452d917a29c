"""Per-chat flood control: past a burst, warn once and ignore the excess."""

from __future__ import annotations

from collections import deque
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # first message over the limit: tell the citizen to slow down
    DROP = "drop"  # further messages over the limit: ignore silently


class FloodGuard:
    """Allows ``burst`` messages per chat within ``window`` seconds."""

    def __init__(self, burst: int, window: float) -> None:
        self.burst = burst
        self.window = window
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()
        self._swept_at = float("-inf")

    def check(self, chat_id: int, now: float) -> Verdict:
        """Record a message from ``chat_id`` at ``now`` and say what to do with it."""
        if now - self._swept_at >= self.window:
            self.forget_idle(now)
        times = self._seen.setdefault(chat_id, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.burst:
            times.append(now)
            self._warned.discard(chat_id)
            return Verdict.ALLOW
        if chat_id in self._warned:
            return Verdict.DROP
        self._warned.add(chat_id)
        return Verdict.WARN

    def forget_idle(self, now: float) -> None:
        """Drop state of chats quiet for a whole window (keeps memory bounded)."""
        idle = [c for c, t in self._seen.items() if not t or now - t[-1] >= self.window]
        for chat_id in idle:
            self._seen.pop(chat_id, None)
            self._warned.discard(chat_id)
        self._swept_at = now

    def __len__(self) -> int:
        """How many chats are remembered."""
        return len(self._seen)
