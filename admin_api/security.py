"""Signed access tokens, console session cookies, and login throttling per (username,
address), per address and per account."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from knowledge_base.core.columns import utcnow
from knowledge_base.core.settings import Settings

ALGORITHM = "HS256"


def create_access_token(settings: Settings, *, staff_id: int) -> str:
    """A short-lived signed token naming the staff member."""
    expires = utcnow() + timedelta(minutes=settings.access_token_minutes)
    payload = {"sub": str(staff_id), "exp": expires}
    return jwt.encode(payload, settings.secret_key.get_secret_value(), algorithm=ALGORITHM)


def read_access_token(settings: Settings, token: str) -> int | None:
    """The staff id in a valid token that carries an unexpired ``exp``, else ``None``."""
    try:
        payload = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub"]},
        )
        return int(payload["sub"])
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None


class FailureCounter:
    """Failures per key within a sliding window."""

    def __init__(self, window: float) -> None:
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def count(self, key: str, now: float) -> int:
        failures = self._failures.get(key)
        if failures is None:
            return 0
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]  # forget idle keys, so memory does not grow
            return 0
        return len(failures)

    def add(self, key: str, now: float) -> None:
        self.count(key, now)
        self._failures.setdefault(key, deque()).append(now)

    def clear(self, key: str) -> None:
        self._failures.pop(key, None)


class LoginThrottle:
    """Refuses logins after too many failures within the window.

    One client guessing one account is stopped by the (username, address) limit without
    locking the real user out from elsewhere; password spraying from one address is stopped
    by the per-address limit; a distributed attack on one account by the account ceiling.
    """

    def __init__(
        self,
        attempts: int,
        window: float,
        *,
        address_attempts: int | None = None,
        account_ceiling: int | None = None,
    ) -> None:
        self.attempts = attempts
        self.address_attempts = address_attempts or attempts * 4
        self.account_ceiling = account_ceiling or attempts * 10
        self._counter = FailureCounter(window)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        return cls(
            settings.login_attempts,
            settings.login_window_seconds,
            address_attempts=settings.login_address_attempts,
            account_ceiling=settings.login_account_ceiling,
        )

    @staticmethod
    def _keys(username: str, address: str) -> tuple[str, str, str]:
        user = username.casefold()
        return f"pair:{user}|{address}", f"addr:{address}", f"user:{user}"

    def blocked(self, username: str, address: str) -> bool:
        """Whether a login for ``username`` from ``address`` is refused now."""
        now = time.monotonic()
        pair, addr, user = self._keys(username, address)
        return (
            self._counter.count(pair, now) >= self.attempts
            or self._counter.count(addr, now) >= self.address_attempts
            or self._counter.count(user, now) >= self.account_ceiling
        )

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        for key in self._keys(username, address):
            self._counter.add(key, now)

    def succeeded(self, username: str, address: str) -> None:
        self._counter.clear(self._keys(username, address)[0])


# The staff console's session cookie: a signed token naming the staff member and when the
# session began. Its audience keeps it apart from bearer tokens (neither works as the other);
# the console re-checks the account, and sessions ended since, on every request.
CONSOLE_SESSION_COOKIE = "staf_sesi"
CONSOLE_AUDIENCE = "tanyapemilu-staf-console"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ConsoleSession:
    """Who a console session belongs to and when it began (UTC, microsecond precision)."""

    staff_id: int
    issued_at: datetime


def _microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def create_console_session(settings: Settings, *, staff_id: int, issued_at: datetime) -> str:
    """The signed cookie value of a console session begun at ``issued_at``."""
    expires = issued_at + timedelta(hours=settings.console_session_hours)
    payload = {
        "sub": str(staff_id),
        "aud": CONSOLE_AUDIENCE,
        "iat": int(issued_at.timestamp()),
        "exp": expires,
        "began_us": _microseconds(issued_at),
    }
    return jwt.encode(payload, settings.secret_key.get_secret_value(), algorithm=ALGORITHM)


def read_console_session(settings: Settings, token: str | None) -> ConsoleSession | None:
    """The session in a valid, unexpired console cookie, else ``None`` (the account itself is
    not checked here)."""
    if not token:
        return None
    try:
        payload = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            audience=CONSOLE_AUDIENCE,
            options={"require": ["exp", "sub", "aud", "began_us"]},
        )
        began = EPOCH + timedelta(microseconds=int(payload["began_us"]))
        return ConsoleSession(staff_id=int(payload["sub"]), issued_at=began)
    except (jwt.PyJWTError, KeyError, ValueError, TypeError, OverflowError):
        return None
