"""The office's working days: Monday to Friday, except Indonesia's public holidays and
collective leave (cuti bersama, from the maintained ``holidays`` package) and the days off the
office lists in its content file. Deadlines owed to citizens are counted in these days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

# Public holidays and the government's collective leave days.
NATIONAL_CATEGORIES = ("public", "government")


class OfficeCalendar:
    """Working days in the office's time zone."""

    def __init__(self, zone: ZoneInfo, days_off: Iterable[date] = ()) -> None:
        self.zone = zone
        self.days_off = frozenset(days_off)
        self._national = holidays.country_holidays("ID", categories=NATIONAL_CATEGORIES)

    def day_off_name(self, day: date) -> str | None:
        """Why ``day`` is not a working day (None when it is one)."""
        if day in self.days_off:
            return "Libur kantor"
        if day in self._national:
            return self._national.get(day)
        if day.weekday() >= 5:
            return "Akhir pekan"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.day_off_name(day) is None

    def working_days_later(self, start: datetime, days: int) -> datetime:
        """``start`` moved forward by ``days`` working days (same local time of day), returned
        in ``start``'s time zone."""
        local = start.astimezone(self.zone)
        remaining = days
        while remaining > 0:
            local += timedelta(days=1)
            if self.is_working_day(local.date()):
                remaining -= 1
        return local.astimezone(start.tzinfo)
