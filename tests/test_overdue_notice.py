"""An escalated question past its due date: its askers are told once that the answer is late."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, select

from knowledge_base.core.db import session_scope
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.followup.overdue import queue_overdue_notices
from knowledge_base.knowledge.office_calendar import OfficeCalendar
from knowledge_base.outbox.models import OutboxMessage
from tests.outbox_fixtures import question_with_askers

JAKARTA = ZoneInfo("Asia/Jakarta")
CALENDAR = OfficeCalendar(JAKARTA)
NOW = datetime(2026, 12, 2, 10, tzinfo=JAKARTA)


def _due(engine, question_id: int, due: datetime, **values: object) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(UnansweredQuestion)
            .where(UnansweredQuestion.id == question_id)
            .values(due_at=due, **values)
        )


def _queue(engine, now: datetime = NOW) -> int:
    with session_scope(engine) as session:
        return queue_overdue_notices(session, calendar=CALENDAR, extra_working_days=2, now=now)


def _notices(engine) -> list[str]:
    with Session(engine) as session:
        return [row.html for row in session.exec(select(OutboxMessage)).all()]


def test_every_asker_of_an_overdue_question_is_told_with_a_new_expectation(engine) -> None:
    question_id = question_with_askers(engine, 3)
    _due(engine, question_id, NOW - timedelta(hours=1))

    queued = _queue(engine)

    assert queued == 3
    assert all(
        "masih kami proses" in text and "4 Desember 2026" in text for text in _notices(engine)
    )


def test_the_notice_goes_out_once(engine) -> None:
    question_id = question_with_askers(engine, 2)
    _due(engine, question_id, NOW - timedelta(hours=1))
    _queue(engine)

    again = _queue(engine, NOW + timedelta(days=1))

    assert again == 0
    assert len(_notices(engine)) == 2


def test_a_question_not_yet_due_sends_nothing(engine) -> None:
    question_id = question_with_askers(engine, 2)
    _due(engine, question_id, NOW + timedelta(hours=1))

    assert _queue(engine) == 0


def test_an_answered_question_sends_no_late_notice(engine) -> None:
    question_id = question_with_askers(engine, 2)
    _due(engine, question_id, NOW - timedelta(hours=1), status=UnansweredStatus.ANSWERED)

    assert _queue(engine) == 0


def test_the_expectation_skips_a_holiday_week(engine) -> None:
    question_id = question_with_askers(engine, 1)
    tuesday = datetime(2026, 3, 17, 10, tzinfo=JAKARTA)
    _due(engine, question_id, tuesday - timedelta(hours=1))

    _queue(engine, tuesday)

    assert "26 Maret 2026" in _notices(engine)[0]
