"""Dates and times as staff read them: office time, Indonesian style ("2 Des 2026 14.30 WIB")."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def format_date(value: date | datetime | None, zone: ZoneInfo) -> str:
    """``2 Des 2026``; a datetime is first turned into office time. Empty for ``None``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_office_time(value, zone)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None, zone: ZoneInfo) -> str:
    """``2 Des 2026 14.30 WIB`` in office time (a naive value is taken as UTC, as stored)."""
    if value is None:
        return ""
    local = to_office_time(value, zone)
    return f"{format_date(local, zone)} {local:%H.%M} {local.tzname()}"


def to_office_time(value: datetime, zone: ZoneInfo) -> datetime:
    """``value`` in the office's time zone."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(zone)
