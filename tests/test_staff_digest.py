"""The morning digest goes to the staff group on working days, listing what is due and overdue."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from knowledge_base.core.db import session_scope
from knowledge_base.core.settings import Settings
from knowledge_base.followup.models import UnansweredQuestion
from knowledge_base.knowledge.office_calendar import OfficeCalendar
from knowledge_base.outbox.models import OutboxMessage
from knowledge_base.staffgroup.digest import queue_daily_digest

JAKARTA = ZoneInfo("Asia/Jakarta")
SETTINGS = Settings(_env_file=None, staff_chat_id=-100500)
CALENDAR = OfficeCalendar(JAKARTA)


def _question(engine, text: str, due: datetime) -> None:
    with session_scope(engine) as session:
        session.add(UnansweredQuestion(masked_text=text, normalised_text=text, due_at=due))


def _queue(engine, today: date, settings: Settings = SETTINGS) -> bool:
    with session_scope(engine) as session:
        return queue_daily_digest(session, settings=settings, calendar=CALENDAR, today=today)


def _digests(engine) -> list[str]:
    with Session(engine) as session:
        return [row.html for row in session.exec(select(OutboxMessage)).all()]


def test_a_working_day_digest_lists_overdue_and_due_today(engine) -> None:
    _question(engine, "kapan coklit dimulai", datetime(2026, 11, 30, 10, tzinfo=JAKARTA))
    _question(engine, "dimana kantor ppk", datetime(2026, 12, 2, 15, tzinfo=JAKARTA))
    _question(engine, "jam berapa tps tutup", datetime(2026, 12, 9, 15, tzinfo=JAKARTA))

    queued = _queue(engine, date(2026, 12, 2))

    [text] = _digests(engine)
    assert queued
    assert "Lewat tenggat: 1" in text and "kapan coklit dimulai" in text
    assert "Tenggat hari ini: 1" in text and "dimana kantor ppk" in text
    assert "jam berapa tps tutup" not in text


def test_no_digest_on_a_public_holiday(engine) -> None:
    _question(engine, "kapan coklit dimulai", datetime(2026, 3, 16, 10, tzinfo=JAKARTA))

    assert not _queue(engine, date(2026, 3, 20))  # collective leave around Idul Fitri
    assert _digests(engine) == []


def test_no_digest_on_a_weekend(engine) -> None:
    _question(engine, "kapan coklit dimulai", datetime(2026, 11, 30, 10, tzinfo=JAKARTA))

    assert not _queue(engine, date(2026, 12, 5))


def test_the_digest_is_queued_once_a_day(engine) -> None:
    _question(engine, "kapan coklit dimulai", datetime(2026, 11, 30, 10, tzinfo=JAKARTA))

    first, second = _queue(engine, date(2026, 12, 2)), _queue(engine, date(2026, 12, 2))

    assert (first, second) == (True, False)


def test_nothing_due_sends_no_digest(engine) -> None:
    assert not _queue(engine, date(2026, 12, 2))
