"""Service figures over a period of the office's calendar: questions per day by outcome, staff
response times, overdue questions, feedback and the most-asked open questions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.conversations.models import QuestionLog
from knowledge_base.core.db import session_scope
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.reporting.service import service_stats

JAKARTA = ZoneInfo("Asia/Jakarta")
# 2 December 2026, 10.00 WIB.
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def _log(engine: Engine, *questions: tuple[datetime, str, str | None]) -> None:
    with session_scope(engine) as session:
        for asked_at, outcome, feedback in questions:
            session.add(
                QuestionLog(
                    masked_text="uji",
                    normalised_text="uji",
                    outcome=outcome,
                    feedback=feedback,
                    asked_at=asked_at,
                )
            )


def _answered(engine: Engine, asked_at: datetime, hours: float) -> None:
    with session_scope(engine) as session:
        session.add(
            UnansweredQuestion(
                status=UnansweredStatus.ANSWERED,
                masked_text="uji",
                normalised_text="uji",
                first_asked_at=asked_at,
                answered_at=asked_at + timedelta(hours=hours),
            )
        )


def _open(engine: Engine, text: str, asked: int, due_at: datetime | None = None) -> None:
    with session_scope(engine) as session:
        session.add(
            UnansweredQuestion(
                masked_text=text, normalised_text=text, ask_count=asked, due_at=due_at
            )
        )


def _stats(engine: Engine, days: int = 7):
    with Session(engine) as session:
        return service_stats(session, zone=JAKARTA, days=days, now=NOW)


def test_a_question_counts_on_its_day_in_office_time(engine: Engine) -> None:
    _log(engine, (datetime(2026, 11, 30, 18, 30, tzinfo=UTC), "answer", None))  # 1 Dec 01.30 WIB

    stats = _stats(engine)

    assert stats.questions_per_day[date(2026, 12, 1)] == 1
    assert stats.questions_per_day[date(2026, 11, 30)] == 0


def test_every_day_of_the_period_has_its_figures_today_included(engine: Engine) -> None:
    stats = _stats(engine, days=7)

    assert [d.day for d in stats.daily] == [
        date(2026, 11, 26) + timedelta(days=n) for n in range(7)
    ]
    assert (stats.first_day, stats.last_day) == (stats.daily[0].day, stats.daily[-1].day)


def test_questions_before_the_first_day_of_the_period_are_left_out(engine: Engine) -> None:
    start = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # 26 Nov 00.00 WIB
    _log(engine, (start - timedelta(seconds=1), "answer", None), (start, "answer", None))

    assert _stats(engine, days=7).total_questions == 1


def test_the_day_counts_each_outcome_and_the_automatic_share(engine: Engine) -> None:
    morning = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    outcomes = ["answer", "answer", "answer", "suggest", "escalate", "decline"]
    _log(engine, *[(morning, outcome, None) for outcome in outcomes])

    today = _stats(engine).daily[-1]

    assert (today.questions, today.answered_automatically, today.suggested) == (6, 3, 1)
    assert (today.escalated, today.declined, today.automatic_answer_rate) == (1, 1, 0.5)


def test_staff_response_times_give_the_median_and_the_90th_percentile(engine: Engine) -> None:
    for hours in (1, 2, 3, 4, 5, 6, 7, 8, 9, 30):
        _answered(engine, datetime(2026, 11, 27, 0, 0, tzinfo=UTC), hours)

    stats = _stats(engine)

    assert stats.answered_by_staff == 10
    assert stats.median_hours_to_staff_answer == 5.5
    assert stats.p90_hours_to_staff_answer == 9
    assert stats.daily[1].median_hours_to_staff_answer == 5  # the nine answered on 27 Nov


def test_overdue_counts_open_questions_past_their_due_time(engine: Engine) -> None:
    _open(engine, "sudah lewat", 1, due_at=NOW - timedelta(hours=1))
    _open(engine, "masih ada waktu", 1, due_at=NOW + timedelta(hours=1))

    assert _stats(engine).overdue_open == 1


def test_the_helpful_share_counts_only_questions_that_were_rated(engine: Engine) -> None:
    morning = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    _log(
        engine,
        (morning, "answer", "helpful"),
        (morning, "answer", "helpful"),
        (morning, "answer", "not_helpful"),
        (morning, "answer", None),
    )

    stats = _stats(engine)

    assert (stats.helpful_votes, stats.feedback_votes) == (2, 3)
    assert stats.helpful_feedback_ratio == 2 / 3


def test_the_most_asked_open_questions_come_first(engine: Engine) -> None:
    for text, asked in (("jarang", 1), ("paling sering", 9), ("cukup sering", 4)):
        _open(engine, text, asked)

    top = _stats(engine).top_open

    assert [(q.masked_text, q.ask_count) for q in top] == [
        ("paling sering", 9),
        ("cukup sering", 4),
        ("jarang", 1),
    ]


def test_a_period_without_questions_has_no_shares_to_show(engine: Engine) -> None:
    stats = _stats(engine, days=30)

    assert stats.total_questions == 0
    assert stats.automatic_answer_rate is None
    assert stats.helpful_feedback_ratio is None
    assert stats.median_hours_to_staff_answer is None
    assert len(stats.daily) == 30
