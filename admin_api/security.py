"""Signed access tokens and per-username / per-address login throttling."""

from __future__ import annotations

import time
from collections import deque
from datetime import timedelta

import jwt

from knowledge_base.models import utcnow
from knowledge_base.settings import Settings

ALGORITHM = "HS256"


def create_access_token(settings: Settings, *, staff_id: int) -> str:
    """A short-lived signed token naming the staff member."""
    expires = utcnow() + timedelta(minutes=settings.access_token_minutes)
    payload = {"sub": str(staff_id), "exp": expires}
    return jwt.encode(payload, settings.secret_key.get_secret_value(), algorithm=ALGORITHM)


def read_access_token(settings: Settings, token: str) -> int | None:
    """The staff id in a valid, unexpired token, else ``None``."""
    try:
        payload = jwt.decode(token, settings.secret_key.get_secret_value(), algorithms=[ALGORITHM])
        return int(payload["sub"])
    except (jwt.PyJWTError, KeyError, ValueError):
        return None


class LoginThrottle:
    """Refuses logins after ``attempts`` failures within ``window`` seconds, per key."""

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        """Whether any of ``keys`` (username, client address) is locked out now."""
        now = time.monotonic()
        return any(len(self._recent(key, now)) >= self.attempts for key in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._recent(key, now).append(now)

    def succeeded(self, username_key: str) -> None:
        self._failures.pop(username_key, None)
