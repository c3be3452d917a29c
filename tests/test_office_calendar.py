"""Deadlines are counted in working days: weekends, national holidays, collective leave and
the office's own days off are skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from knowledge_base.knowledge.office_calendar import OfficeCalendar

JAKARTA = ZoneInfo("Asia/Jakarta")


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=JAKARTA)


def test_two_working_days_after_a_tuesday_is_thursday() -> None:
    due = OfficeCalendar(JAKARTA).working_days_later(_local(2026, 11, 24, 10), 2)

    assert due == _local(2026, 11, 26, 10)


def test_the_idul_fitri_week_with_collective_leave_is_skipped() -> None:
    # 18-24 March 2026: Nyepi and Idul Fitri with collective leave; Wednesday 25th works again.
    due = OfficeCalendar(JAKARTA).working_days_later(_local(2026, 3, 17, 10), 2)

    assert due == _local(2026, 3, 26, 10)


def test_a_collective_leave_day_is_not_a_working_day() -> None:
    calendar = OfficeCalendar(JAKARTA)

    assert not calendar.is_working_day(date(2026, 3, 20))
    assert "Joint Holiday" in calendar.day_off_name(date(2026, 3, 20))


def test_an_office_day_off_is_skipped() -> None:
    calendar = OfficeCalendar(JAKARTA, days_off=[date(2026, 11, 25)])

    due = calendar.working_days_later(_local(2026, 11, 24, 10), 1)

    assert due == _local(2026, 11, 26, 10)


def test_the_deadline_keeps_the_time_zone_it_was_given() -> None:
    start = datetime(2026, 11, 24, 3, tzinfo=UTC)  # 10:00 in Jakarta

    due = OfficeCalendar(JAKARTA).working_days_later(start, 1)

    assert due == datetime(2026, 11, 25, 3, tzinfo=UTC)


def test_the_weekend_is_skipped() -> None:
    # Friday 18:00 WIB + 2 working days = Tuesday 18:00 WIB.
    due = OfficeCalendar(JAKARTA).working_days_later(_local(2026, 11, 27, 18), 2)

    assert due == _local(2026, 12, 1, 18)
