"""An announcement as staff describe it in a form, field by field, as text: a body in plain
text or Telegram HTML, a date and time in office time or a stage with an offset in days and
hours, "every subscriber" or some kecamatan, an optional daily repetition. ``read_fields``
turns the fields into a checked ``Draft`` (personal data masked) or says, per field, what is
wrong; ``fields_of`` shows a stored announcement in the same fields."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlmodel import Session

from knowledge_base.announcements import drafting
from knowledge_base.announcements.drafting import Draft
from knowledge_base.announcements.models import Announcement
from knowledge_base.announcements.telegram_html import preview_html
from knowledge_base.announcements.workflow import message_html
from knowledge_base.answering.privacy import mask_personal_data
from knowledge_base.knowledge.office import OfficeContent

MAX_ID = 2**31 - 1  # no row id is larger (PostgreSQL integer)
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # how <input type="datetime-local"> reads and writes


class AnnouncementFields(BaseModel):
    """The fields as typed; shown again unchanged when something is wrong."""

    title: str = ""
    body: str = ""
    body_mode: str = "plain"  # "plain": escaped for Telegram here; "html": Telegram HTML
    timing: str = "time"  # "time" (send_at) or "stage"
    send_at: str = ""  # office time, "2026-12-02T14:30"
    stage_id: str = ""
    offset_days: str = "0"
    offset_hours: str = "0"
    offset_direction: str = "after"  # or "before"
    stage_anchor: str = "start"  # or "end"
    audience_all: str = ""  # any value: every subscriber
    areas: list[str] = []
    repeat_daily: str = ""
    repeat_until: str = ""  # the last day, "2026-12-31"


@dataclass(frozen=True)
class Preview:
    """What Telegram will show (browser-safe HTML; empty while there is no body), or why it
    would refuse the body."""

    html: str
    problem: str | None
    masked: bool  # personal data was masked in the title or body


def whole_number(text: str, highest: int) -> int | None:
    """``text`` as a number from 0 to ``highest`` (empty is 0); ``None`` otherwise."""
    value = text.strip() or "0"
    return int(value) if value.isdecimal() and int(value) <= highest else None


def _local_time(text: str, zone: ZoneInfo) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else None


def message_parts(fields: AnnouncementFields) -> tuple[str, str, bool]:
    """Title and body (Telegram HTML) as they will be stored, personal data masked, and
    whether masking changed anything."""
    title, body = " ".join(fields.title.split()), drafting.unify_line_breaks(fields.body)
    masked_title, masked_body = mask_personal_data(title), mask_personal_data(body)
    changed = (masked_title, masked_body) != (title, body)
    if fields.body_mode != "html":
        masked_body = drafting.plain_text_as_html(masked_body)
    return masked_title, masked_body, changed


def _timing(fields: AnnouncementFields, zone: ZoneInfo) -> tuple[dict[str, Any], dict[str, str]]:
    if fields.timing != "stage":
        send_at = _local_time(fields.send_at, zone)
        if send_at is None:
            return {}, {"send_at": "Isi tanggal dan jam pengiriman (waktu kantor)."}
        return {"send_at": send_at}, {}
    stage_id = whole_number(fields.stage_id, MAX_ID)
    days, hours = whole_number(fields.offset_days, 366), whole_number(fields.offset_hours, 23)
    if not stage_id:
        return {}, {"stage_id": "Pilih tahapan dari daftar."}
    if days is None or hours is None:
        return {}, {"offset": "Isi jumlah hari (0–366) dan jam (0–23) dengan angka bulat."}
    sign = -1 if fields.offset_direction == "before" else 1
    return {
        "stage_id": stage_id,
        "stage_anchor": "end" if fields.stage_anchor == "end" else "start",
        "stage_offset_minutes": sign * (days * 24 + hours) * 60,
    }, {}


def _audience(fields: AnnouncementFields) -> tuple[tuple[str, ...], dict[str, str]]:
    if fields.audience_all and fields.areas:
        return (), {"areas": "Pilih Semua pelanggan atau kecamatan tertentu, jangan keduanya."}
    if not fields.audience_all and not fields.areas:
        return (), {"areas": "Pilih penerima: Semua pelanggan atau paling sedikit satu kecamatan."}
    return tuple(fields.areas), {}


def _recurrence(
    fields: AnnouncementFields, zone: ZoneInfo
) -> tuple[dict[str, Any], dict[str, str]]:
    if not fields.repeat_daily:
        return {}, {}
    if not fields.repeat_until.strip():
        return {"recurrence": "daily"}, {}
    try:
        last_day = date.fromisoformat(fields.repeat_until.strip())
    except ValueError:
        return {}, {"recurrence_until": "Isi tanggal terakhir pengulangan dengan benar."}
    until = datetime.combine(last_day, time(23, 59, 59), tzinfo=zone)
    return {"recurrence": "daily", "recurrence_until": until}, {}


def read_fields(
    session: Session,
    fields: AnnouncementFields,
    *,
    office: OfficeContent,
    zone: ZoneInfo,
    now: datetime,
    grace: timedelta,
) -> tuple[Draft | None, dict[str, str]]:
    """The draft the fields describe (areas in the office's spelling), or why it cannot be
    stored, by field (``title``, ``body``, ``send_at``, ``stage_id``, ``offset``, ``areas``,
    ``recurrence_until``)."""
    timing, timing_errors = _timing(fields, zone)
    areas, audience_errors = _audience(fields)
    recurrence, recurrence_errors = _recurrence(fields, zone)
    title, body, _ = message_parts(fields)
    draft = Draft(title, body, areas, **timing, **recurrence)
    errors = drafting.draft_problems(session, draft, office=office, zone=zone, now=now, grace=grace)
    if timing_errors:  # the time could not be read: say so, not that it is missing
        errors.pop("send_at", None)
        errors.pop("stage_id", None)
    errors.update(timing_errors | audience_errors | recurrence_errors)
    if errors:
        return None, errors
    return replace(draft, audience_areas=tuple(drafting.known_areas(office, areas)[0])), {}


def preview(fields: AnnouncementFields) -> Preview:
    """What Telegram will show for the fields' title and body, or why it cannot show it."""
    title, body, masked = message_parts(fields)
    if not body.strip():
        return Preview("", None, masked)  # nothing typed yet: nothing to refuse
    problem = drafting.text_problems(Draft(title or "…", body)).get("body")
    html = "" if problem else preview_html(message_html(title, body))
    return Preview(html, problem, masked)


def fields_of(item: Announcement, zone: ZoneInfo) -> AnnouncementFields:
    """A stored announcement in the fields (plain text when its body has no markup)."""
    plain = drafting.html_as_plain_text(item.body)
    offset = item.stage_offset_minutes or 0
    hours = abs(offset) // 60
    until = (
        item.recurrence_until.astimezone(zone).date().isoformat() if item.recurrence_until else ""
    )
    return AnnouncementFields(
        title=item.title,
        body=item.body if plain is None else plain,
        body_mode="html" if plain is None else "plain",
        timing="stage" if item.stage_id else "time",
        send_at=item.send_at.astimezone(zone).strftime(LOCAL_MINUTE) if item.send_at else "",
        stage_id=str(item.stage_id or ""),
        offset_days=str(hours // 24),
        offset_hours=str(hours % 24),
        offset_direction="before" if offset < 0 else "after",
        stage_anchor=item.stage_anchor or "start",
        audience_all="" if item.audience_areas else "on",
        areas=list(item.audience_areas),
        repeat_daily="on" if item.recurrence else "",
        repeat_until=until,
    )


def describe_stage_timing(offset_minutes: int, anchor: str | None) -> str:
    """A stage-relative time in words: "1 hari 6 jam sesudah tahapan dimulai"."""
    days, hours = divmod(abs(offset_minutes) // 60, 24)
    edge = "berakhir" if anchor == "end" else "dimulai"
    amount = " ".join(
        part for part in (f"{days} hari" if days else "", f"{hours} jam" if hours else "") if part
    )
    if not amount:
        return f"Saat tahapan {edge}"
    return f"{amount} {'sebelum' if offset_minutes < 0 else 'sesudah'} tahapan {edge}"
