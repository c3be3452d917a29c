"""Small rules of the console without a browser: where a login may lead, and how times read."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from admin_api.console.addresses import HOME_PATH, login_url, safe_next
from admin_api.console.formatting import format_date, format_datetime

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    "target",
    [
        "https://penipu.example/staf/",
        "//penipu.example/staf/",
        "/\\penipu.example",
        "/staf/\\..\\",
        "http:/staf/kotak-masuk",
        "javascript:alert(1)",
        "/auth/token",
        "/stafx",
        "/staf/ kotak",
        "/staf/\tx",
        "",
        None,
    ],
)
def test_next_refuses_anything_but_a_console_page(target: str | None) -> None:
    assert safe_next(target) == HOME_PATH


@pytest.mark.parametrize("target", ["/staf/kata-sandi", "/staf/pengumuman?status=draft"])
def test_next_keeps_a_console_page(target: str) -> None:
    assert safe_next(target) == target


def test_the_login_page_is_never_the_next_page() -> None:
    assert safe_next("/staf/") == HOME_PATH
    assert login_url("/staf/") == "/staf/"


def test_a_time_reads_in_office_time_indonesian_style() -> None:
    moment = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)

    assert format_datetime(moment, JAKARTA) == "2 Des 2026 14.30 WIB"


def test_a_time_in_another_office_zone_names_that_zone() -> None:
    moment = datetime(2026, 8, 17, 1, 5, tzinfo=UTC)

    assert format_datetime(moment, ZoneInfo("Asia/Jayapura")) == "17 Agu 2026 10.05 WIT"


def test_a_naive_stored_time_is_taken_as_utc() -> None:
    assert format_datetime(datetime(2026, 1, 31, 20, 0), JAKARTA) == "1 Feb 2026 03.00 WIB"


def test_a_date_reads_indonesian_style() -> None:
    assert format_date(date(2027, 5, 9), JAKARTA) == "9 Mei 2027"
    assert format_date(None, JAKARTA) == ""
