"""What the sender writes after Telegram answered: one status change per outcome, one log line."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session

from knowledge_base.core.columns import utcnow
from knowledge_base.outbox import service
from knowledge_base.outbox.service import ClaimedMessage
from knowledge_base.outbox.transport import Outcome, TransportResult

logger = logging.getLogger(__name__)


def record_outcome(
    session: Session,
    *,
    message: ClaimedMessage,
    result: TransportResult,
    max_attempts: int,
    backoff: Callable[[int], float],
) -> None:
    """Write what Telegram answered to the row: sent, later, failed or blocked (one log line)."""
    error = result.error or result.outcome.value
    attempts = message.attempts + 1
    if result.outcome == Outcome.SENT:
        service.mark_sent(session, message_id=message.id, telegram_message_id=result.message_id)
    elif result.outcome == Outcome.RETRY_AFTER:
        at = utcnow() + timedelta(seconds=result.retry_after or 1.0)
        service.retry_later(session, message_id=message.id, at=at, error=error, count_attempt=False)
    elif result.outcome == Outcome.BLOCKED:
        chat = service.mark_blocked(session, message_id=message.id, error=error)
        logger.info("chat %s refuses messages (%s): marked blocked and unsubscribed", chat, error)
    elif result.outcome == Outcome.TRANSIENT and attempts < max_attempts:
        delay = backoff(attempts)
        at = utcnow() + timedelta(seconds=delay)
        service.retry_later(session, message_id=message.id, at=at, error=error)
        logger.info(
            "outbox message %s, attempt %d: %s; retrying in %.1f s",
            message.id,
            attempts,
            error,
            delay,
        )
    else:
        service.mark_failed(session, message_id=message.id, error=error)
        logger.warning(
            "outbox message %s failed after %d attempt(s): %s", message.id, attempts, error
        )
