"""Which election stage is running today, and what comes next, from the stage rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from knowledge_base.knowledge.records import StageRecord

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def local_today(zone: ZoneInfo, now: datetime | None = None) -> date:
    """Today's date in the office's time zone (``now`` must be timezone-aware)."""
    moment = now or datetime.now(zone)
    return moment.astimezone(zone).date()


def format_date(day: date) -> str:
    """An Indonesian date such as ``14 Februari 2024``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_period(stage: StageRecord) -> str:
    """``14 Februari 2024`` for one-day stages, otherwise ``start – end``."""
    if stage.start == stage.end:
        return format_date(stage.start)
    return f"{format_date(stage.start)} – {format_date(stage.end)}"


def current_stages(stages: Sequence[StageRecord], today: date) -> list[StageRecord]:
    """Stages whose inclusive date range contains ``today``."""
    return [s for s in stages if s.start <= today <= s.end]


def upcoming_stages(stages: Sequence[StageRecord], today: date) -> list[StageRecord]:
    """Stages that start after ``today``, soonest first."""
    return sorted((s for s in stages if s.start > today), key=lambda s: (s.start, s.end))


def describe_current(stages: Sequence[StageRecord], today: date) -> str | None:
    """Citizen text naming today's stages and the next one, or ``None`` when nothing runs."""
    running = current_stages(stages, today)
    if not running:
        return None
    lines = [f"Per {format_date(today)}, tahapan yang sedang berlangsung:"]
    lines += [f"- {s.election}: {s.stage} ({format_period(s)})" for s in running]
    following = upcoming_stages(stages, today)
    if following:
        nxt = following[0]
        lines.append(f"Tahapan berikutnya: {nxt.election}: {nxt.stage} ({format_period(nxt)}).")
    return "\n".join(lines)


def describe_next(stages: Sequence[StageRecord], today: date) -> str | None:
    """Citizen text naming the next scheduled stages, or ``None`` when none is scheduled."""
    following = upcoming_stages(stages, today)
    if not following:
        return None
    lines = [f"Per {format_date(today)}, jadwal terdekat:"]
    lines += [f"- {s.election}: {s.stage} ({format_period(s)})" for s in following[:3]]
    return "\n".join(lines)
