"""Dasbor: how the service performs over a chosen period, as figures, a chart of questions per
day (an SVG drawn here, with the same numbers as a table) and the figures per day as CSV or
XLSX files for the PPID report. Every staff member may open it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status
from starlette.responses import Response

from admin_api.console.deps import ConsoleDb, ConsoleStaff
from admin_api.console.formatting import format_date
from admin_api.console.rendering import render
from admin_api.deps import SettingsDep
from knowledge_base.core.columns import utcnow
from knowledge_base.core.settings import Settings
from knowledge_base.reporting.export import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    daily_csv,
    daily_xlsx,
    export_filename,
)
from knowledge_base.reporting.service import DayFigures, ServiceStats, service_stats

router = APIRouter()

DASHBOARD_PATH = "/staf/dasbor"
PERIODS = {
    7: "7 hari terakhir",
    30: "30 hari terakhir",
    90: "90 hari terakhir",
    180: "180 hari terakhir",
}
DEFAULT_DAYS = 30
PERIOD_UNAVAILABLE = "Periode yang diminta tidak tersedia."
SHOWING_DEFAULT = f"{PERIOD_UNAVAILABLE} Ditampilkan {PERIODS[DEFAULT_DAYS]}."
PeriodQuery = Annotated[str, Query(alias="hari")]

# The chart's stacked series, bottom first: (DayFigures attribute, legend, CSS class suffix).
SERIES = (
    ("answered_automatically", "Dijawab otomatis", "answer"),
    ("suggested", "Ditawari saran pertanyaan", "suggest"),
    ("escalated", "Diteruskan ke staf", "escalate"),
    ("declined", "Di luar cakupan", "decline"),
)
CHART_HEIGHT = 100  # SVG units; the drawing stretches to the box's width (no text inside)
DAY_WIDTH = 10
BAR_WIDTH = 8


@dataclass(frozen=True)
class Segment:
    series: str
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    slot: int  # where the day's column begins
    segments: list[Segment]
    title: str


@dataclass(frozen=True)
class DailyChart:
    """Questions per day as stacked bars, on a scale from 0 to ``scale``."""

    width: int
    height: int
    scale: int
    bars: list[Bar]
    day_labels: list[str]
    day_width: int = DAY_WIDTH
    bar_width: int = BAR_WIDTH
    bar_offset: int = (DAY_WIDTH - BAR_WIDTH) // 2


def nice_ceiling(value: int) -> int:
    """The smallest of 2, 4, 6, 8, 10, 20, 40, … that is at least ``value`` (its half is a
    whole number, for the middle grid line)."""
    step = 1
    while True:
        for factor in (2, 4, 6, 8, 10):
            if factor * step >= value:
                return factor * step
        step *= 10


def number(value: int) -> str:
    """``1.234``: whole numbers with the Indonesian thousands separator."""
    return f"{value:,}".replace(",", ".")


def percent(share: float | None) -> str:
    """``62,5%`` (``–`` when there is nothing to divide)."""
    if share is None:
        return "–"
    text = f"{share * 100:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text}%"


def duration(hours: float | None) -> str:
    """``45 menit``, ``3,5 jam`` or ``2,3 hari`` (``–`` without any answer)."""
    if hours is None:
        return "–"
    if hours < 1:
        return f"{max(1, round(hours * 60))} menit"
    if hours < 48:
        return f"{hours:.1f}".replace(".", ",") + " jam"
    return f"{hours / 24:.1f}".replace(".", ",") + " hari"


def _day_title(figures: DayFigures, settings: Settings) -> str:
    parts = [f"{number(getattr(figures, name))} {label.lower()}" for name, label, _ in SERIES]
    day = format_date(figures.day, settings.zone)
    return f"{day}: {number(figures.questions)} pertanyaan ({', '.join(parts)})"


def _bar(index: int, figures: DayFigures, scale: int, settings: Settings) -> Bar:
    segments, top = [], float(CHART_HEIGHT)
    for name, _label, series in SERIES:
        height = getattr(figures, name) / scale * CHART_HEIGHT
        if height > 0:
            top -= height
            segments.append(Segment(series, round(top, 3), round(height, 3)))
    return Bar(index * DAY_WIDTH, segments, _day_title(figures, settings))


def daily_chart(stats: ServiceStats, settings: Settings) -> DailyChart:
    """The chart of ``stats.daily``, labelled with its first, middle and last day."""
    scale = nice_ceiling(max((d.questions for d in stats.daily), default=0))
    days = [d.day for d in stats.daily]
    labels = [days[0], days[len(days) // 2], days[-1]]
    return DailyChart(
        width=len(days) * DAY_WIDTH,
        height=CHART_HEIGHT,
        scale=scale,
        bars=[_bar(i, figures, scale, settings) for i, figures in enumerate(stats.daily)],
        day_labels=[format_date(day, settings.zone) for day in labels],
    )


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    note: str = ""


def headline_figures(stats: ServiceStats) -> list[Figure]:
    """The period's figures as the dashboard's cards show them."""
    votes = f"dari {number(stats.feedback_votes)} penilaian warga" if stats.feedback_votes else ""
    answered = stats.answered_by_staff > 0
    waiting = "" if answered else "belum ada jawaban staf pada periode ini"
    p90_note = "90% pertanyaan dijawab dalam waktu ini" if answered else waiting
    return [
        Figure("Pertanyaan masuk", number(stats.total_questions)),
        Figure("Dijawab otomatis", percent(stats.automatic_answer_rate), "oleh bot, langsung"),
        Figure("Diteruskan ke staf", number(stats.escalations)),
        Figure("Dijawab staf", number(stats.answered_by_staff)),
        Figure("Median waktu jawab staf", duration(stats.median_hours_to_staff_answer), waiting),
        Figure("Waktu jawab staf (P90)", duration(stats.p90_hours_to_staff_answer), p90_note),
        Figure("Melewati tenggat", number(stats.overdue_open), "pertanyaan terbuka, saat ini"),
        Figure("Umpan balik membantu", percent(stats.helpful_feedback_ratio), votes),
    ]


def _period(requested: str) -> int | None:
    if not requested:
        return DEFAULT_DAYS
    return int(requested) if requested.isdigit() and int(requested) in PERIODS else None


@router.get("/dasbor")
def dashboard(
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    settings: SettingsDep,
    requested: PeriodQuery = "",
) -> Response:
    """The figures of the chosen period (30 days unless another is chosen)."""
    days = _period(requested)
    stats = service_stats(db, zone=settings.zone, days=days or DEFAULT_DAYS)
    top_asked = max((q.ask_count for q in stats.top_open), default=1)
    page = {
        "title": "Dasbor",
        "error": "" if days else SHOWING_DEFAULT,
        "periods": PERIODS,
        "stats": stats,
        "figures": headline_figures(stats),
        "chart": daily_chart(stats, settings),
        "series": SERIES,
        "top_asked": top_asked,
        "number": number,
        "percent": percent,
        "duration": duration,
        "updated_at": utcnow(),
    }
    return render(request, "dashboard_page.html", page)


def _download(content: str | bytes, media_type: str, today: date, extension: str) -> Response:
    filename = export_filename(today, extension)
    disposition = f'attachment; filename="{filename}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def _downloaded_stats(db: ConsoleDb, settings: Settings, requested: str) -> ServiceStats:
    days = _period(requested)
    if days is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, PERIOD_UNAVAILABLE)
    return service_stats(db, zone=settings.zone, days=days)


@router.get("/dasbor/statistik.csv")
def download_csv(
    staff: ConsoleStaff, db: ConsoleDb, settings: SettingsDep, requested: PeriodQuery = ""
) -> Response:
    """The period's figures per day as CSV (UTF-8, comma-separated, ISO dates)."""
    stats = _downloaded_stats(db, settings, requested)
    return _download(daily_csv(stats), CSV_MEDIA_TYPE, stats.last_day, "csv")


@router.get("/dasbor/statistik.xlsx")
def download_xlsx(
    staff: ConsoleStaff, db: ConsoleDb, settings: SettingsDep, requested: PeriodQuery = ""
) -> Response:
    """The period's figures per day, and its totals, as an Excel workbook."""
    stats = _downloaded_stats(db, settings, requested)
    made_at = utcnow().astimezone(settings.zone)
    return _download(daily_xlsx(stats, made_at=made_at), XLSX_MEDIA_TYPE, stats.last_day, "xlsx")
