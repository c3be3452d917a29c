"""The figures per day as CSV and XLSX files: a row per day, real dates and numbers, Indonesian
headers, and a summary sheet in the workbook."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl

from knowledge_base.reporting.export import daily_csv, daily_xlsx, export_filename
from knowledge_base.reporting.service import DayFigures, OpenQuestion, ServiceStats

FIRST, LAST = date(2026, 12, 1), date(2026, 12, 2)
STATS = ServiceStats(
    days=2,
    first_day=FIRST,
    last_day=LAST,
    daily=[
        DayFigures(FIRST),
        DayFigures(
            LAST,
            questions=8,
            answered_automatically=5,
            suggested=1,
            escalated=2,
            helpful=3,
            not_helpful=1,
            answered_by_staff=1,
            median_hours_to_staff_answer=2.25,
        ),
    ],
    total_questions=8,
    automatic_answer_rate=0.625,
    escalations=2,
    answered_by_staff=1,
    overdue_open=1,
    median_hours_to_staff_answer=2.25,
    p90_hours_to_staff_answer=2.25,
    helpful_votes=3,
    feedback_votes=4,
    helpful_feedback_ratio=0.75,
    top_open=[OpenQuestion(1, "kapan logistik dikirim", 4)],
)
MADE_AT = datetime(2026, 12, 2, 14, 30)


def _csv_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(daily_csv(STATS))))


def test_the_csv_has_one_row_per_day_with_iso_dates() -> None:
    assert [row["Tanggal"] for row in _csv_rows()] == ["2026-12-01", "2026-12-02"]


def test_the_csv_figures_are_plain_numbers_and_an_empty_cell_means_none() -> None:
    empty, busy = _csv_rows()

    assert (busy["Pertanyaan masuk"], busy["Persentase dijawab otomatis (%)"]) == ("8", "62.5")
    assert busy["Median waktu jawab staf (jam)"] == "2.25"
    assert (empty["Pertanyaan masuk"], empty["Persentase dijawab otomatis (%)"]) == ("0", "")


def test_the_xlsx_cells_are_dates_and_numbers_with_a_display_format() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(daily_xlsx(STATS, made_at=MADE_AT)))
    sheet = workbook["Per hari"]

    day, questions, automatic, share = (sheet.cell(row=3, column=n) for n in range(1, 5))

    assert (day.value, day.number_format) == (datetime(2026, 12, 2), "dd/mm/yyyy")
    assert (questions.value, automatic.value) == (8, 5)
    assert (share.value, share.number_format) == (0.625, "0.0%")
    assert sheet.cell(row=2, column=4).value is None


def test_the_xlsx_summary_sheet_holds_the_periods_totals() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(daily_xlsx(STATS, made_at=MADE_AT)))

    summary = dict(workbook["Ringkasan"].iter_rows(min_row=2, values_only=True))

    assert summary["Periode mulai"] == datetime(2026, 12, 1)
    assert summary["Pertanyaan masuk"] == 8
    assert summary["Persentase umpan balik membantu"] == 0.75
    assert summary["Dibuat pada (waktu kantor)"] == MADE_AT


def test_the_file_name_carries_the_day_it_was_made() -> None:
    assert export_filename(LAST, "xlsx") == "tanyapemilu-statistik-2026-12-02.xlsx"
