"""Writing an announcement: plain text staff type becomes Telegram HTML, a draft is checked
(title, body, known kecamatan, an existing stage, a time not already past) and stored, or an
existing announcement revised (which sends it back to draft, see ``workflow``)."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, or_, select

from knowledge_base.announcements import workflow as announcing
from knowledge_base.announcements.models import Announcement
from knowledge_base.announcements.telegram_html import html_problems
from knowledge_base.knowledge.models import ElectionStage
from knowledge_base.knowledge.office import OfficeContent
from knowledge_base.staff.models import StaffUser

TITLE_MIN_CHARS = 3
TITLE_MAX_CHARS = 200
BODY_MAX_CHARS = 4000
MAX_OFFSET_MINUTES = 366 * 24 * 60


@dataclass(frozen=True)
class Draft:
    """What staff wrote: title, body (Telegram HTML), audience (empty: every subscriber) and
    timing, either ``send_at`` or a stage with an anchor ("start"/"end") and an offset."""

    title: str
    body: str
    audience_areas: tuple[str, ...] = ()
    send_at: datetime | None = None
    stage_id: int | None = None
    stage_anchor: str = "start"
    stage_offset_minutes: int = 0
    recurrence: str | None = None
    recurrence_until: datetime | None = None


def unify_line_breaks(text: str) -> str:
    """``text`` with every line break as ``\\n`` (browsers send ``\\r\\n``)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def plain_text_as_html(text: str) -> str:
    """Typed text as Telegram HTML: ``&``, ``<`` and ``>`` escaped, line breaks kept."""
    return html.escape(unify_line_breaks(text), quote=False)


def html_as_plain_text(body: str) -> str | None:
    """The text ``plain_text_as_html`` turns into ``body``; ``None`` when ``body`` has markup
    no plain text produces (tags, other entities)."""
    text = html.unescape(body)
    return text if plain_text_as_html(text) == body else None


def known_areas(office: OfficeContent, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """The office's spelling of each known name, and the names it does not know."""
    known: list[str] = []
    unknown: list[str] = []
    for name in names:
        area = office.canonical_area(name)
        if area is None:
            unknown.append(name)
        elif area not in known:
            known.append(area)
    return known, unknown


def draft_time(session: Session, draft: Draft, zone: ZoneInfo) -> datetime | None:
    """When an announcement written like ``draft`` would go out (``None``: unknown stage)."""
    timing = Announcement(
        title=draft.title,
        body=draft.body,
        send_at=draft.send_at,
        stage_id=draft.stage_id,
        stage_anchor=draft.stage_anchor,
        stage_offset_minutes=draft.stage_offset_minutes,
    )
    return announcing.scheduled_time(session, timing, zone)


def text_problems(draft: Draft) -> dict[str, str]:
    """Why the title or the body cannot be stored, by field (``title``, ``body``)."""
    problems: dict[str, str] = {}
    if len(draft.title.strip()) < TITLE_MIN_CHARS:
        problems["title"] = f"Judul wajib diisi, paling sedikit {TITLE_MIN_CHARS} karakter."
    elif len(draft.title) > TITLE_MAX_CHARS:
        problems["title"] = f"Judul paling banyak {TITLE_MAX_CHARS} karakter."
    if not draft.body.strip():
        problems["body"] = "Isi pengumuman wajib diisi."
    elif len(draft.body) > BODY_MAX_CHARS:
        problems["body"] = f"Isi pengumuman paling banyak {BODY_MAX_CHARS} karakter."
    elif refused := html_problems(draft.body):
        problems["body"] = f"Telegram akan menolak isi ini: {'; '.join(refused)}."
    return problems


def draft_problems(
    session: Session,
    draft: Draft,
    *,
    office: OfficeContent,
    zone: ZoneInfo,
    now: datetime,
    grace: timedelta,
) -> dict[str, str]:
    """Why ``draft`` cannot be stored, by field (``title``, ``body``, ``areas``, ``stage_id``,
    ``send_at``, ``recurrence_until``); empty when it can. Messages are for staff."""
    problems = text_problems(draft)
    _, unknown = known_areas(office, draft.audience_areas)
    if unknown:
        problems["areas"] = (
            f"Kecamatan tidak dikenal: {', '.join(unknown)}. "
            f"Pilihan yang tersedia: {', '.join(office.areas)}."
        )
    time_field = "send_at" if draft.stage_id is None else "stage_id"
    if draft.stage_id is not None and session.get(ElectionStage, draft.stage_id) is None:
        problems["stage_id"] = "Tahapan tidak ditemukan. Silakan pilih tahapan dari daftar."
        return problems
    if abs(draft.stage_offset_minutes) > MAX_OFFSET_MINUTES:
        problems["stage_id"] = "Selisih waktu dari tahapan paling lama 366 hari."
        return problems
    when = draft_time(session, draft, zone)
    if when is None:
        problems[time_field] = "Waktu pengiriman wajib diisi."
    elif when < now - grace:
        problems[time_field] = (
            f"Waktu pengiriman ini sudah lewat lebih dari {int(grace.total_seconds() // 60)} "
            "menit, sehingga pengumuman tidak akan terkirim. Silakan pilih waktu yang akan datang."
        )
    elif draft.recurrence_until is not None and draft.recurrence_until < when:
        problems["recurrence_until"] = "Batas pengulangan harus sesudah waktu pengiriman pertama."
    return problems


def create_draft(session: Session, draft: Draft, author: StaffUser) -> Announcement:
    """Store ``draft`` as a new draft written by ``author`` (flushed, so it has an id)."""
    item = Announcement(title=draft.title, body=draft.body, author_id=author.id)
    announcing.record_editor(item, author)
    _apply(item, draft)
    session.add(item)
    session.flush()
    return item


def revise(
    session: Session, announcement: Announcement, draft: Draft, editor: StaffUser
) -> Announcement:
    """Replace the announcement's text, audience and timing with ``draft``; it goes back to
    draft and ``editor`` may no longer approve it (``WorkflowError`` when it is too late)."""
    announcing.edit_back_to_draft(session, announcement, editor)
    _apply(announcement, draft)
    return announcement


def _apply(item: Announcement, draft: Draft) -> None:
    item.title = draft.title
    item.body = draft.body
    item.audience_areas = list(draft.audience_areas)
    item.recurrence = draft.recurrence
    item.recurrence_until = draft.recurrence_until
    item.stage_id = draft.stage_id
    staged = draft.stage_id is not None
    item.send_at = None if staged else draft.send_at
    item.stage_anchor = draft.stage_anchor if staged else None
    item.stage_offset_minutes = draft.stage_offset_minutes if staged else None


def stage_choices(session: Session, *, today: date, keep: int | None = None) -> list[ElectionStage]:
    """Stages an announcement can be timed from: those not over before ``today``, and
    ``keep`` (the one already chosen), by start date."""
    query = select(ElectionStage).where(
        or_(col(ElectionStage.ends_on) >= today, col(ElectionStage.id) == keep)
    )
    order = (col(ElectionStage.starts_on), col(ElectionStage.ends_on), col(ElectionStage.id))
    return list(session.exec(query.order_by(*order)).all())
