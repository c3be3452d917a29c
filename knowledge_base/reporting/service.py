"""Figures on how the service performs, for staff and (aggregates only) for the public.

A period is a number of whole days on the office's calendar, ending today: "30 days" on
2 December 2026 runs from 3 November 00.00 to now, office time."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from knowledge_base.conversations.models import Outcome, QuestionLog
from knowledge_base.core.columns import utcnow
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus

TOP_OPEN_QUESTIONS = 5


@dataclass(frozen=True)
class DayFigures:
    """One day of the office's calendar: questions by outcome, feedback and staff answers."""

    day: date
    questions: int = 0
    answered_automatically: int = 0
    suggested: int = 0
    escalated: int = 0
    declined: int = 0
    helpful: int = 0
    not_helpful: int = 0
    answered_by_staff: int = 0
    median_hours_to_staff_answer: float | None = None

    @property
    def automatic_answer_rate(self) -> float | None:
        """The share of the day's questions the bot answered outright."""
        return self.answered_automatically / self.questions if self.questions else None


@dataclass(frozen=True)
class OpenQuestion:
    """An open question staff have not answered yet, and how often it was asked."""

    id: int
    masked_text: str
    ask_count: int


@dataclass(frozen=True)
class ServiceStats:
    """What the office can publish about its information service over ``days`` days."""

    days: int
    first_day: date
    last_day: date
    daily: list[DayFigures]
    total_questions: int
    automatic_answer_rate: float | None
    escalations: int
    answered_by_staff: int
    overdue_open: int
    median_hours_to_staff_answer: float | None
    p90_hours_to_staff_answer: float | None
    helpful_votes: int
    feedback_votes: int
    helpful_feedback_ratio: float | None
    top_open: list[OpenQuestion] = field(default_factory=list)

    @property
    def questions_per_day(self) -> dict[date, int]:
        """Questions asked on each day of the period (days without any included)."""
        return {figures.day: figures.questions for figures in self.daily}


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def period_days(today: date, days: int) -> list[date]:
    """The ``days`` calendar days ending with ``today``, oldest first."""
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _hours(asked: datetime, answered: datetime) -> float:
    return (answered - asked).total_seconds() / 3600


def _build_days(
    days: list[date],
    questions: Iterable[tuple[datetime, str, str | None]],
    answers: Iterable[tuple[datetime, datetime]],
    zone: ZoneInfo,
) -> list[DayFigures]:
    outcomes: dict[date, Counter[str]] = defaultdict(Counter)
    feedback: dict[date, Counter[str]] = defaultdict(Counter)
    for asked, outcome, vote in questions:
        day = asked.astimezone(zone).date()
        outcomes[day][outcome] += 1
        if vote:
            feedback[day][vote] += 1
    hours: dict[date, list[float]] = defaultdict(list)
    for asked, answered in answers:
        hours[answered.astimezone(zone).date()].append(_hours(asked, answered))
    return [
        DayFigures(
            day=day,
            questions=outcomes[day].total(),
            answered_automatically=outcomes[day][Outcome.ANSWER],
            suggested=outcomes[day][Outcome.SUGGEST],
            escalated=outcomes[day][Outcome.ESCALATE],
            declined=outcomes[day][Outcome.DECLINE],
            helpful=feedback[day]["helpful"],
            not_helpful=feedback[day]["not_helpful"],
            answered_by_staff=len(hours[day]),
            median_hours_to_staff_answer=statistics.median(hours[day]) if hours[day] else None,
        )
        for day in days
    ]


def _overdue_open(session: Session, now: datetime) -> int:
    query = select(func.count()).where(
        UnansweredQuestion.status == UnansweredStatus.OPEN, col(UnansweredQuestion.due_at) < now
    )
    return session.exec(query).one()


def most_asked_open(session: Session, limit: int = TOP_OPEN_QUESTIONS) -> list[OpenQuestion]:
    """The open questions asked most often (masked, as stored)."""
    rows = session.exec(
        select(UnansweredQuestion)
        .where(UnansweredQuestion.status == UnansweredStatus.OPEN)
        .order_by(col(UnansweredQuestion.ask_count).desc(), col(UnansweredQuestion.id))
        .limit(limit)
    ).all()
    return [OpenQuestion(row.id, row.masked_text, row.ask_count) for row in rows]


def service_stats(
    session: Session, *, zone: ZoneInfo, days: int = 30, now: datetime | None = None
) -> ServiceStats:
    """The figures of the last ``days`` days of the office's calendar, today included."""
    now = now or utcnow()
    calendar = period_days(now.astimezone(zone).date(), days)
    since = _start_of(calendar[0], zone)
    until = _start_of(calendar[-1] + timedelta(days=1), zone)
    questions = session.exec(
        select(QuestionLog.asked_at, QuestionLog.outcome, QuestionLog.feedback).where(
            QuestionLog.asked_at >= since, QuestionLog.asked_at < until
        )
    ).all()
    answers = session.exec(
        select(UnansweredQuestion.first_asked_at, UnansweredQuestion.answered_at).where(
            UnansweredQuestion.status == UnansweredStatus.ANSWERED,
            UnansweredQuestion.answered_at >= since,
            UnansweredQuestion.answered_at < until,
        )
    ).all()
    daily = _build_days(calendar, questions, answers, zone)
    hours = [_hours(asked, answered) for asked, answered in answers]
    total = sum(d.questions for d in daily)
    helpful = sum(d.helpful for d in daily)
    votes = helpful + sum(d.not_helpful for d in daily)
    return ServiceStats(
        days=days,
        first_day=calendar[0],
        last_day=calendar[-1],
        daily=daily,
        total_questions=total,
        automatic_answer_rate=sum(d.answered_automatically for d in daily) / total
        if total
        else None,
        escalations=sum(d.escalated for d in daily),
        answered_by_staff=len(hours),
        overdue_open=_overdue_open(session, now),
        median_hours_to_staff_answer=statistics.median(hours) if hours else None,
        p90_hours_to_staff_answer=_percentile(hours, 0.9),
        helpful_votes=helpful,
        feedback_votes=votes,
        helpful_feedback_ratio=helpful / votes if votes else None,
        top_open=most_asked_open(session),
    )
