"""Dasbor: the period's figures, the chart of questions per day (and its table), and the same
figures per day as CSV and XLSX downloads."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from knowledge_base.conversations.models import QuestionLog
from knowledge_base.core.db import session_scope
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from tests.console.live import LiveConsole
from tests.console.pages import check_page

DASHBOARD = "/staf/dasbor"
TOP_QUESTION = "kapan logistik pemilu dikirim ke kelurahan saya"
# (days ago, outcome, feedback): 7 questions today, 3 yesterday, 1 three days ago.
QUESTIONS = [
    *[(0, "answer", None)] * 2,
    (0, "answer", "helpful"),
    (0, "suggest", None),
    *[(0, "escalate", None)] * 2,
    (0, "decline", None),
    (1, "answer", "helpful"),
    (1, "answer", "not_helpful"),
    (1, "escalate", None),
    (3, "answer", None),
]


def _office_noon(live: LiveConsole, days_ago: int) -> datetime:
    """Noon of a day in office time (inside that day, whenever the test runs)."""
    zone = live.settings.zone
    today = datetime.now(zone).date()
    return datetime.combine(today - timedelta(days=days_ago), time(12), tzinfo=zone)


def _seed(live: LiveConsole) -> None:
    """The question log above, one question answered by staff in 2 hours, and two open ones
    (the most asked one overdue)."""
    now = datetime.now(UTC)
    with session_scope(live.engine) as session:
        for days_ago, outcome, feedback in QUESTIONS:
            asked = _office_noon(live, days_ago)
            session.add(
                QuestionLog(
                    masked_text="pertanyaan uji",
                    normalised_text="tanya uji",
                    outcome=outcome,
                    feedback=feedback,
                    asked_at=asked,
                )
            )
        answered_at = _office_noon(live, 0)
        session.add(
            UnansweredQuestion(
                status=UnansweredStatus.ANSWERED,
                masked_text="apakah boleh membawa anak ke tps",
                normalised_text="bawa anak tps",
                first_asked_at=answered_at - timedelta(hours=2),
                answered_at=answered_at,
                staff_answer="Boleh, dengan tertib.",
            )
        )
        for text, count, due in ((TOP_QUESTION, 4, now - timedelta(days=1)), ("cek dpt", 2, None)):
            session.add(
                UnansweredQuestion(
                    masked_text=text, normalised_text=text, ask_count=count, due_at=due
                )
            )


def _figure(page: Page, label: str):
    return page.locator(".dash-figure", has_text=label).locator(".dash-figure-value")


def _today(live: LiveConsole) -> date:
    return datetime.now(live.settings.zone).date()


def test_the_dashboard_shows_the_figures_and_a_chart_of_the_questions(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    _seed(live_console)
    page = logged_in_page("staff")

    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Dasbor").click()

    expect(_figure(page, "Pertanyaan masuk")).to_have_text("11")
    expect(_figure(page, "Dijawab otomatis")).to_have_text("54,5%")
    expect(_figure(page, "Diteruskan ke staf")).to_have_text("3")
    expect(_figure(page, "Median waktu jawab staf")).to_have_text("2,0 jam")
    expect(_figure(page, "Melewati tenggat")).to_have_text("1")
    expect(_figure(page, "Umpan balik membantu")).to_have_text("66,7%")
    chart = page.get_by_role("img", name="Pertanyaan per hari")
    expect(chart.locator("g.dash-day")).to_have_count(30)
    expect(chart.locator("g.dash-day").last.locator("rect.dash-seg")).to_have_count(4)
    page.get_by_text("Tabel pertanyaan per hari").click()
    expect(page.locator(".dash-table tbody tr").first).to_contain_text("7")
    expect(page.get_by_role("link", name=TOP_QUESTION)).to_be_visible()
    report = check_page(page, "dashboard")
    assert report.requests_to_other_hosts(live_console.base_url) == []


def test_the_csv_download_holds_a_row_per_day_of_the_period(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    _seed(live_console)
    page = logged_in_page("staff")
    page.goto(live_console.url(f"{DASHBOARD}?hari=7"))

    with page.expect_download() as started:
        page.get_by_role("link", name="Unduh CSV").click()
    download = started.value

    today = _today(live_console)
    assert download.suggested_filename == f"tanyapemilu-statistik-{today}.csv"
    rows = list(csv.DictReader(Path(download.path()).read_text(encoding="utf-8").splitlines()))
    assert [row["Tanggal"] for row in rows] == [
        (today - timedelta(days=n)).isoformat() for n in range(6, -1, -1)
    ]
    assert (rows[-1]["Pertanyaan masuk"], rows[-1]["Diteruskan ke staf"]) == ("7", "2")
    assert rows[-1]["Persentase dijawab otomatis (%)"] == "42.9"


def test_the_xlsx_download_holds_the_days_as_dates_and_the_figures_as_numbers(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    _seed(live_console)
    page = logged_in_page("staff")
    page.goto(live_console.url(DASHBOARD))

    with page.expect_download() as started:
        page.get_by_role("link", name="Unduh Excel (XLSX)").click()
    download = started.value

    today = _today(live_console)
    assert download.suggested_filename == f"tanyapemilu-statistik-{today}.xlsx"
    with Path(download.path()).open("rb") as file:  # the saved file has no .xlsx suffix
        sheet = openpyxl.load_workbook(file)["Per hari"]
    header, *days = list(sheet.values)
    assert header[:2] == ("Tanggal", "Pertanyaan masuk")
    assert len(days) == 30
    assert days[-1][0] == datetime.combine(today, time())
    assert days[-1][1:3] == (7, 3)
    assert days[-2][1] == 3
