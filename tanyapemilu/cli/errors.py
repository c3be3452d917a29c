"""Failures an administrator can fix, each told in one line naming the cause and the setting."""

from __future__ import annotations

import logging
import sys

from sqlalchemy.exc import SQLAlchemyError

from knowledge_base.core.db import describe_database
from knowledge_base.core.settings import Settings

DATABASE_HINT = "check TANYAPEMILU_DATABASE_URL"
EXIT_FAILURE = 1  # configuration errors found before any work exit with 2
logger = logging.getLogger(__name__)


class StartupError(Exception):
    """Start-up failed; the message is already one line naming the setting to change."""


def report_failure(error: BaseException, settings: Settings, command: str) -> int | None:
    """Print the one line for ``error`` on stderr and return the exit code, or ``None`` when
    it is not a failure of the surroundings (the caller re-raises it)."""
    message = describe_failure(error, settings)
    if message is None:
        return None
    logger.debug("%s failed", command, exc_info=error)
    label = "Start-up error" if command == "serve" else "Error"
    print(f"{label}: {message}", file=sys.stderr)
    return EXIT_FAILURE


def describe_failure(error: BaseException, settings: Settings) -> str | None:
    """One line for a failure caused by the configuration or the surroundings (database,
    Telegram), or ``None`` for anything else (a bug, which keeps its traceback)."""
    if isinstance(error, StartupError):
        return str(error)
    if isinstance(error, SQLAlchemyError):
        return f"cannot use the database {_where(settings)} ({_reason(error)}); {DATABASE_HINT}"
    if "alembic" in sys.modules:
        from alembic.util import CommandError

        if isinstance(error, CommandError):
            return f"cannot migrate the database {_where(settings)} ({error}); {DATABASE_HINT}"
    if "telegram" in sys.modules:
        return _telegram_failure(error, settings)
    return None


def _where(settings: Settings) -> str:
    return describe_database(settings.database_url)


def _reason(error: SQLAlchemyError) -> str:
    """The driver's reason without the statement, e.g. ``Connection refused`` or
    ``database "x" does not exist``."""
    message = str(getattr(error, "orig", None) or error)
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    # psycopg: 'connection failed: connection to server at "h", port 1 failed: <reason>'
    line = next((line for line in lines if "failed: " in line), lines[0] if lines else "")
    reason = line.rsplit("failed: ", 1)[-1].removeprefix("FATAL:").strip()
    return reason[:200] or type(error).__name__


def _telegram_failure(error: BaseException, settings: Settings) -> str | None:
    from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

    if not isinstance(error, TelegramError):
        return None
    if isinstance(error, InvalidToken):
        # The library's message repeats the token: never print it.
        return "Telegram rejected the bot token; check TANYAPEMILU_TELEGRAM_TOKEN"
    reason = _without_token(str(error), settings)
    if isinstance(error, BadRequest) and "webhook" in reason.lower():
        return f"Telegram refused the webhook ({reason}); check TANYAPEMILU_WEBHOOK_URL"
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        return (
            f"Telegram Bot API unreachable at {settings.telegram_base_url} ({reason}); "
            "check TANYAPEMILU_TELEGRAM_BASE_URL"
        )
    return (
        f"Telegram refused the bot ({reason}); check TANYAPEMILU_TELEGRAM_TOKEN and "
        "TANYAPEMILU_TELEGRAM_BASE_URL"
    )


def _without_token(text: str, settings: Settings) -> str:
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    return " ".join((text.replace(token, "<token>") if token else text).split())[:200]
