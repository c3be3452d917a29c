"""The service figures per day as files for the PPID report: CSV and XLSX (Excel).

Headers are in Indonesian; dates are dates and figures are numbers in both files (in CSV:
ISO dates, plain numbers with a decimal point; in XLSX: typed cells with a display format)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from knowledge_base.reporting.service import DayFigures, ServiceStats

Kind = Literal["date", "count", "share", "hours"]
FILE_PREFIX = "tanyapemilu-statistik"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_FORMATS: dict[Kind, str] = {
    "date": "dd/mm/yyyy",
    "count": "#,##0",
    "share": "0.0%",
    "hours": "0.00",
}


@dataclass(frozen=True)
class Column:
    """One column of the per-day table: its header, its kind and how to read it from a day."""

    header: str
    kind: Kind
    value: Callable[[DayFigures], date | int | float | None]


COLUMNS = (
    Column("Tanggal", "date", lambda d: d.day),
    Column("Pertanyaan masuk", "count", lambda d: d.questions),
    Column("Dijawab otomatis", "count", lambda d: d.answered_automatically),
    Column("Persentase dijawab otomatis", "share", lambda d: d.automatic_answer_rate),
    Column("Saran pertanyaan ditawarkan", "count", lambda d: d.suggested),
    Column("Diteruskan ke staf", "count", lambda d: d.escalated),
    Column("Di luar cakupan", "count", lambda d: d.declined),
    Column("Dijawab staf", "count", lambda d: d.answered_by_staff),
    Column("Median waktu jawab staf (jam)", "hours", lambda d: d.median_hours_to_staff_answer),
    Column("Umpan balik membantu", "count", lambda d: d.helpful),
    Column("Umpan balik tidak membantu", "count", lambda d: d.not_helpful),
)


def export_filename(today: date, extension: str) -> str:
    """``tanyapemilu-statistik-2026-12-02.xlsx`` for a file made on ``today``."""
    return f"{FILE_PREFIX}-{today.isoformat()}.{extension}"


def _csv_header(column: Column) -> str:
    return f"{column.header} (%)" if column.kind == "share" else column.header


def _csv_value(column: Column, figures: DayFigures) -> str | int | float:
    value = column.value(figures)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if column.kind == "share":
        return round(value * 100, 1)
    return round(value, 2) if isinstance(value, float) else value


def daily_csv(stats: ServiceStats) -> str:
    """One row per day of the period, oldest first, with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_header(column) for column in COLUMNS])
    for figures in stats.daily:
        writer.writerow([_csv_value(column, figures) for column in COLUMNS])
    return buffer.getvalue()


def _write_daily_sheet(sheet: Worksheet, stats: ServiceStats) -> None:
    sheet.title = "Per hari"
    sheet.append([column.header for column in COLUMNS])
    for figures in stats.daily:
        sheet.append([column.value(figures) for column in COLUMNS])
    for number, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=number).column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.header) + 2)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            cell.number_format = XLSX_FORMATS[column.kind]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def _summary_rows(stats: ServiceStats, made_at: datetime) -> list[tuple[str, object, Kind | None]]:
    return [
        ("Periode mulai", stats.first_day, "date"),
        ("Periode sampai", stats.last_day, "date"),
        ("Jumlah hari", stats.days, "count"),
        ("Pertanyaan masuk", stats.total_questions, "count"),
        ("Persentase dijawab otomatis", stats.automatic_answer_rate, "share"),
        ("Diteruskan ke staf", stats.escalations, "count"),
        ("Dijawab staf", stats.answered_by_staff, "count"),
        ("Median waktu jawab staf (jam)", stats.median_hours_to_staff_answer, "hours"),
        ("Persentil ke-90 waktu jawab staf (jam)", stats.p90_hours_to_staff_answer, "hours"),
        ("Pertanyaan terbuka melewati tenggat (saat diunduh)", stats.overdue_open, "count"),
        ("Penilaian warga", stats.feedback_votes, "count"),
        ("Persentase umpan balik membantu", stats.helpful_feedback_ratio, "share"),
        ("Dibuat pada (waktu kantor)", made_at.replace(tzinfo=None), None),
    ]


def _write_summary_sheet(sheet: Worksheet, stats: ServiceStats, made_at: datetime) -> None:
    sheet.append(["Ringkasan", "Nilai"])
    for label, value, kind in _summary_rows(stats, made_at):
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=2).number_format = (
            XLSX_FORMATS[kind] if kind else "dd/mm/yyyy hh:mm"
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 52
    sheet.column_dimensions["B"].width = 18


def daily_xlsx(stats: ServiceStats, *, made_at: datetime) -> bytes:
    """A workbook with the per-day table ("Per hari") and the period's totals ("Ringkasan");
    ``made_at`` is the office time the file was made."""
    workbook = Workbook()
    workbook.properties.creator = "TanyaPemilu"
    workbook.properties.title = "Statistik layanan TanyaPemilu"
    _write_daily_sheet(workbook.active, stats)
    _write_summary_sheet(workbook.create_sheet("Ringkasan"), stats, made_at)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
