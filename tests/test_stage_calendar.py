"""Current and next stages come from the stage rows and today's date in the office's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from knowledge_base.knowledge.records import StageRecord
from knowledge_base.knowledge.stage_calendar import (
    current_stages,
    describe_current,
    describe_next,
    format_date,
    local_today,
    upcoming_stages,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
QUIET = StageRecord(
    election="Pemilu 2024", stage="Masa tenang", start=date(2024, 2, 11), end=date(2024, 2, 13)
)
VOTING = StageRecord(
    election="Pemilu 2024", stage="Pemungutan suara", start=date(2024, 2, 14), end=date(2024, 2, 14)
)
STAGES = [QUIET, VOTING]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 10), []),
        (date(2024, 2, 11), [QUIET]),
        (date(2024, 2, 13), [QUIET]),
        (date(2024, 2, 14), [VOTING]),
        (date(2024, 2, 15), []),
    ],
)
def test_a_stage_runs_from_its_first_to_its_last_day_inclusive(
    day: date, expected: list[StageRecord]
) -> None:
    assert current_stages(STAGES, day) == expected


def test_upcoming_stages_start_after_today_soonest_first() -> None:
    assert upcoming_stages([VOTING, QUIET], date(2024, 2, 1)) == [QUIET, VOTING]


def test_the_day_before_voting_names_the_quiet_period_and_what_comes_next() -> None:
    text = describe_current(STAGES, date(2024, 2, 13))

    assert "Masa tenang" in text
    assert "Tahapan berikutnya: Pemilu 2024: Pemungutan suara (14 Februari 2024)" in text


def test_nothing_current_gives_no_live_text() -> None:
    assert describe_current(STAGES, date(2025, 1, 1)) is None
    assert describe_next(STAGES, date(2025, 1, 1)) is None


def test_late_evening_utc_is_already_the_next_day_in_jakarta() -> None:
    # 17:30 UTC on 13 Feb is 00:30 WIB on 14 Feb: voting day has begun in Sawahlunto.
    now = datetime(2024, 2, 13, 17, 30, tzinfo=UTC)

    assert local_today(JAKARTA, now) == date(2024, 2, 14)
    assert current_stages(STAGES, local_today(JAKARTA, now)) == [VOTING]


def test_dates_are_written_in_indonesian() -> None:
    assert format_date(date(2024, 11, 27)) == "27 November 2024"
