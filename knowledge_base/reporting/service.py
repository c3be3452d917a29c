"""Figures on how the service performs, for staff and (aggregates only) for the public."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from knowledge_base.conversations.models import Outcome, QuestionLog
from knowledge_base.core.columns import utcnow
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus


@dataclass(frozen=True)
class ServiceStats:
    """What the office can publish about its information service."""

    days: int
    questions_per_day: dict[date, int]
    total_questions: int
    automatic_answer_rate: float | None
    escalations: int
    answered_by_staff: int
    overdue_open: int
    median_hours_to_staff_answer: float | None
    p90_hours_to_staff_answer: float | None
    helpful_feedback_ratio: float | None
    top_open: list[tuple[str, int]] = field(default_factory=list)


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def service_stats(session: Session, *, zone: ZoneInfo, days: int = 30) -> ServiceStats:
    """Counts over the last ``days`` days (local calendar of the office)."""
    since = utcnow() - timedelta(days=days)
    rows = session.exec(
        select(QuestionLog.asked_at, QuestionLog.outcome, QuestionLog.feedback).where(
            QuestionLog.asked_at >= since
        )
    ).all()
    per_day = Counter(asked.astimezone(zone).date() for asked, _o, _f in rows)
    outcomes = Counter(outcome for _a, outcome, _f in rows)
    feedback = Counter(fb for _a, _o, fb in rows if fb)
    answered = session.exec(
        select(UnansweredQuestion.first_asked_at, UnansweredQuestion.answered_at).where(
            UnansweredQuestion.status == UnansweredStatus.ANSWERED,
            UnansweredQuestion.answered_at >= since,
        )
    ).all()
    hours = [(done - asked).total_seconds() / 3600 for asked, done in answered]
    open_query = select(UnansweredQuestion).where(
        UnansweredQuestion.status == UnansweredStatus.OPEN
    )
    overdue = session.exec(
        select(func.count()).select_from(
            open_query.where(col(UnansweredQuestion.due_at) < utcnow()).subquery()
        )
    ).one()
    top = session.exec(open_query.order_by(col(UnansweredQuestion.ask_count).desc()).limit(5)).all()
    voted = feedback["helpful"] + feedback["not_helpful"]
    return ServiceStats(
        days=days,
        questions_per_day=dict(sorted(per_day.items())),
        total_questions=len(rows),
        automatic_answer_rate=outcomes[Outcome.ANSWER] / len(rows) if rows else None,
        escalations=outcomes[Outcome.ESCALATE],
        answered_by_staff=len(answered),
        overdue_open=overdue,
        median_hours_to_staff_answer=statistics.median(hours) if hours else None,
        p90_hours_to_staff_answer=_percentile(hours, 0.9),
        helpful_feedback_ratio=feedback["helpful"] / voted if voted else None,
        top_open=[(q.masked_text, q.ask_count) for q in top],
    )
