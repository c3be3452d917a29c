"""Staff control over queued messages: stop what has not gone out yet, or reopen it.

Rows a sender has already claimed (``sending``) are in flight and are left to finish; no
function here commits.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from knowledge_base.core.columns import utcnow
from knowledge_base.outbox.models import OutboxMessage, OutboxStatus
from knowledge_base.outbox.service import OutboxRef, restrict_to_ref

REOPENABLE = (OutboxStatus.CANCELLED, OutboxStatus.FAILED)


def cancel_pending(session: Session, *, ref: OutboxRef) -> int:
    """Mark the reference's waiting rows ``cancelled``; returns how many."""
    result = session.execute(
        restrict_to_ref(update(OutboxMessage), ref)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED, last_error="dibatalkan oleh staf")
    )
    return result.rowcount or 0


def reopen(session: Session, *, ref: OutboxRef) -> int:
    """Make the reference's cancelled and failed rows due again with a fresh attempt count
    (rows whose text retention already blanked stay as they are); returns how many."""
    result = session.execute(
        restrict_to_ref(update(OutboxMessage), ref)
        .where(
            col(OutboxMessage.status).in_(REOPENABLE),
            OutboxMessage.html != "",
        )
        .values(
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=utcnow(),
            claimed_at=None,
            last_error=None,
        )
    )
    return result.rowcount or 0
