"""Logging for every command: our loggers at the configured level, third-party ones quieter,
and every line redacted (bot token, NIK, phone numbers) before it is written."""

from __future__ import annotations

import logging
import re
import sys

from knowledge_base.answering.privacy import mask_personal_data
from knowledge_base.core.settings import Settings

# Loggers that print raw updates, request URLs (which contain the bot token) or SQL at DEBUG.
LIBRARY_LOGGERS = (
    "telegram",
    "httpx",
    "httpcore",
    "hpack",
    "apscheduler",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "asyncio",
    "tzlocal",
    "multipart",
)
# A Telegram bot token wherever it appears (in a URL path "/bot<token>/" or alone).
TOKEN_PATTERN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}")
REDACTED = "[TOKEN]"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes secrets and personal data from the whole line,
    tracebacks included."""

    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self.secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        # The message is redacted, not the whole line: the timestamp looks like a long number.
        original = record.msg, record.args
        record.msg, record.args = redact(record.getMessage(), self.secrets), None
        try:
            return super().format(record)
        finally:
            record.msg, record.args = original

    def formatException(self, ei) -> str:
        return redact(super().formatException(ei), self.secrets)

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info), self.secrets)


def redact(line: str, secrets: tuple[str, ...] = ()) -> str:
    """``line`` without the given secrets, anything shaped like a bot token, NIKs and phones."""
    for secret in secrets:
        line = line.replace(secret, REDACTED)
    return mask_personal_data(TOKEN_PATTERN.sub(REDACTED, line))


def configure_logging(settings: Settings) -> None:
    """Log to stderr: ours at ``log_level``, libraries at ``library_log_level``."""
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", (token,))
    )
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(settings.library_log_level)
