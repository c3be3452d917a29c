"""Announcements as staff describe them in the console's fields: plain text or Telegram HTML,
a date and time or a stage offset, the audience; what is stored and what is refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.announcements.composing import (
    AnnouncementFields,
    describe_stage_timing,
    fields_of,
    preview,
    read_fields,
)
from knowledge_base.announcements.drafting import create_draft
from knowledge_base.core.db import session_scope
from knowledge_base.knowledge.models import ElectionStage
from knowledge_base.knowledge.office import OfficeContent
from knowledge_base.staff.models import StaffUser

JAKARTA = ZoneInfo("Asia/Jakarta")
OFFICE = OfficeContent(areas=("Barangin", "Talawi"))
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=JAKARTA)
GRACE = timedelta(minutes=60)
FIELDS = AnnouncementFields(
    title="Masa tenang",
    body="Tidak ada kampanye.",
    send_at="2026-12-05T08:00",
    areas=["Talawi"],
)


def _read(session: Session, fields: AnnouncementFields):
    return read_fields(session, fields, office=OFFICE, zone=JAKARTA, now=NOW, grace=GRACE)


def _stage(engine: Engine) -> int:
    with session_scope(engine) as session:
        stage = ElectionStage(
            election="Pilkada 2029",
            stage="Masa tenang",
            starts_on=date(2029, 11, 24),
            ends_on=date(2029, 11, 26),
        )
        session.add(stage)
        session.flush()
        return stage.id


def test_plain_text_is_escaped_for_telegram_and_keeps_its_line_breaks(engine: Engine) -> None:
    fields = FIELDS.model_copy(update={"body": "KPU & warga <umum>\r\nBaris dua"})

    with Session(engine) as session:
        draft, errors = _read(session, fields)

    assert errors == {}
    assert draft.body == "KPU &amp; warga &lt;umum&gt;\nBaris dua"


def test_a_date_and_time_is_read_in_office_time(engine: Engine) -> None:
    with Session(engine) as session:
        draft, _ = _read(session, FIELDS)

    assert draft.send_at == datetime(2026, 12, 5, 8, 0, tzinfo=JAKARTA)


def test_personal_data_typed_in_the_title_or_body_is_masked(engine: Engine) -> None:
    fields = FIELDS.model_copy(
        update={"title": "Untuk 1371021202900001", "body": "Hubungi 0812 3456 7890."}
    )

    with Session(engine) as session:
        draft, _ = _read(session, fields)

    assert (draft.title, draft.body) == ("Untuk [NIK]", "Hubungi [NOMOR TELEPON].")


def test_an_html_body_telegram_would_refuse_is_refused_with_the_reason(engine: Engine) -> None:
    fields = FIELDS.model_copy(update={"body_mode": "html", "body": "<div>Halo</div>"})

    with Session(engine) as session:
        draft, errors = _read(session, fields)

    assert draft is None
    assert "tag <div> tidak didukung Telegram" in errors["body"]


@pytest.mark.parametrize(
    ("days", "hours", "direction", "minutes"),
    [("2", "0", "before", -2880), ("1", "6", "after", 1800), ("", "", "after", 0)],
)
def test_a_stage_offset_in_days_and_hours_becomes_minutes(
    engine: Engine, days: str, hours: str, direction: str, minutes: int
) -> None:
    stage_id = _stage(engine)
    fields = FIELDS.model_copy(
        update={
            "timing": "stage",
            "stage_id": str(stage_id),
            "offset_days": days,
            "offset_hours": hours,
            "offset_direction": direction,
            "stage_anchor": "end",
        }
    )

    with Session(engine) as session:
        draft, errors = _read(session, fields)

    assert errors == {}
    assert (draft.stage_id, draft.stage_anchor, draft.stage_offset_minutes) == (
        stage_id,
        "end",
        minutes,
    )
    assert draft.send_at is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"areas": ["Talawi", "Atlantis"]}, "areas", "Kecamatan tidak dikenal: Atlantis."),
        ({"areas": [], "audience_all": ""}, "areas", "Pilih penerima"),
        ({"audience_all": "on"}, "areas", "jangan keduanya"),
        ({"send_at": "besok pagi"}, "send_at", "Isi tanggal dan jam"),
        ({"send_at": "2026-12-02T08:30"}, "send_at", "sudah lewat lebih dari 60 menit"),
        ({"timing": "stage", "stage_id": "999"}, "stage_id", "Tahapan tidak ditemukan"),
        ({"timing": "stage", "stage_id": "1", "offset_hours": "25"}, "offset", "jam (0–23)"),
        ({"title": "Hi"}, "title", "paling sedikit 3 karakter"),
    ],
)
def test_bad_fields_are_refused_with_a_message_for_that_field(
    engine: Engine, changes: dict, field: str, message: str
) -> None:
    with Session(engine) as session:
        draft, errors = _read(session, FIELDS.model_copy(update=changes))

    assert draft is None
    assert message in errors[field]


def test_a_kecamatan_is_stored_in_the_office_spelling(engine: Engine) -> None:
    with Session(engine) as session:
        draft, _ = _read(session, FIELDS.model_copy(update={"areas": ["  talawi "]}))

    assert draft.audience_areas == ("Talawi",)


def test_a_stored_announcement_shows_in_the_fields_as_it_was_written(engine: Engine) -> None:
    stage_id = _stage(engine)
    written = FIELDS.model_copy(
        update={
            "body": "KPU & warga",
            "timing": "stage",
            "stage_id": str(stage_id),
            "offset_days": "1",
            "offset_hours": "6",
            "offset_direction": "before",
        }
    )
    with session_scope(engine) as session:
        author = StaffUser(username="ppid1", password_hash="-")
        session.add(author)
        draft, _ = _read(session, written)
        item = create_draft(session, draft, author)

        shown = fields_of(item, JAKARTA)

    assert shown.model_dump(exclude={"send_at"}) == written.model_dump(exclude={"send_at"})


def test_a_body_with_markup_shows_as_telegram_html(engine: Engine) -> None:
    fields = FIELDS.model_copy(
        update={"body_mode": "html", "body": "Mulai <b>besok</b> &amp; lusa"}
    )
    with session_scope(engine) as session:
        author = StaffUser(username="ppid1", password_hash="-")
        session.add(author)
        item = create_draft(session, _read(session, fields)[0], author)

        shown = fields_of(item, JAKARTA)

    assert (shown.body_mode, shown.body) == ("html", "Mulai <b>besok</b> &amp; lusa")


def test_the_preview_shows_the_message_as_telegram_would() -> None:
    shown = preview(FIELDS.model_copy(update={"title": "A & B", "body": "<i>x</i>"}))

    assert shown.html == "<b>A &amp; B</b>\n\n&lt;i&gt;x&lt;/i&gt;"
    assert shown.problem is None


def test_the_preview_explains_why_telegram_would_refuse_the_body() -> None:
    shown = preview(FIELDS.model_copy(update={"body_mode": "html", "body": "<b>x"}))

    assert shown.html == ""
    assert "tag <b> tidak ditutup" in shown.problem


def test_the_preview_says_when_personal_data_is_masked() -> None:
    assert preview(FIELDS.model_copy(update={"body": "NIK 1371021202900001"})).masked


@pytest.mark.parametrize(
    ("minutes", "anchor", "text"),
    [
        (-2880, "start", "2 hari sebelum tahapan dimulai"),
        (1800, "end", "1 hari 6 jam sesudah tahapan berakhir"),
        (0, "start", "Saat tahapan dimulai"),
    ],
)
def test_a_stage_timing_reads_as_words(minutes: int, anchor: str, text: str) -> None:
    assert describe_stage_timing(minutes, anchor) == text
