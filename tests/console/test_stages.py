"""Tahapan in the browser: everyone reads the stage table in office-style dates; only admins
add, change and delete stages, and a stage that a pending announcement is timed from stays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import Session

from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.core.db import session_scope
from knowledge_base.knowledge.models import ElectionStage
from tests.console.forms import csrf_token, log_in_over_http
from tests.console.live import LiveConsole
from tests.console.pages import check_page


def _stage(live: LiveConsole) -> int:
    with session_scope(live.engine) as session:
        stage = ElectionStage(
            election="Pilkada Serentak 2029",
            stage="Masa kampanye",
            starts_on=date(2029, 9, 25),
            ends_on=date(2029, 11, 23),
        )
        session.add(stage)
        session.flush()
        return stage.id


def _stored(live: LiveConsole, stage_id: int) -> ElectionStage | None:
    with Session(live.engine) as session:
        return session.get(ElectionStage, stage_id)


def test_an_admin_adds_a_stage_with_the_date_pickers_and_sees_office_dates(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    page = logged_in_page("admin")
    page.goto(live_console.url("/staf/tahapan"))

    page.get_by_label("Pemilihan").fill("Pemilu 2029")
    page.get_by_label("Nama tahapan").fill("Pemungutan suara")
    page.get_by_label("Tanggal mulai").fill("2029-02-14")
    page.get_by_label("Tanggal selesai").fill("2029-02-14")
    page.get_by_role("button", name="Tambah tahapan").click()

    expect(page.get_by_text("Tahapan Pemungutan suara ditambahkan.")).to_be_visible()
    row = page.locator(".stage-table tbody tr", has_text="Pemungutan suara")
    expect(row.locator('td[data-label="Mulai"]')).to_have_text("14 Feb 2029")
    expect(row.locator('td[data-label="Selesai"]')).to_have_text("14 Feb 2029")
    check_page(page, "stages")


def test_an_admin_moves_a_stages_end_date(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    stage_id = _stage(live_console)
    page = logged_in_page("admin")
    page.goto(live_console.url("/staf/tahapan"))
    page.get_by_role("link", name="Ubah tahapan Masa kampanye").click()
    check_page(page, "stages-edit")

    page.get_by_label("Tanggal selesai").fill("2029-11-30")
    page.get_by_role("button", name="Simpan perubahan").click()

    row = page.locator(".stage-table tbody tr", has_text="Masa kampanye")
    expect(row.locator('td[data-label="Selesai"]')).to_have_text("30 Nov 2029")
    stored = _stored(live_console, stage_id)
    assert stored is not None and stored.ends_on == date(2029, 11, 30)


def test_a_staff_account_reads_the_stages_but_is_refused_editing_one(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    stage_id = _stage(live_console)
    page = logged_in_page("staff")
    page.goto(live_console.url("/staf/tahapan"))
    expect(page.get_by_role("cell", name="Masa kampanye")).to_be_visible()
    expect(page.locator(".stage-table").get_by_role("link")).to_have_count(0)
    token = page.locator('input[name="csrftoken"]').first.input_value()

    opened = page.goto(live_console.url(f"/staf/tahapan/{stage_id}"))
    posted = page.request.post(
        live_console.url(f"/staf/tahapan/{stage_id}"),
        form={
            "csrftoken": token,
            "election": "Pilkada Serentak 2029",
            "stage": "Diubah staf",
            "start": "2029-09-25",
            "end": "2029-11-23",
        },
    )

    assert opened is not None and opened.status == 403
    expect(page.get_by_role("heading", name="Akses ditolak")).to_be_visible()
    assert posted.status == 403
    stored = _stored(live_console, stage_id)
    assert stored is not None and stored.stage == "Masa kampanye"


def test_a_stage_a_pending_announcement_is_timed_from_is_not_deleted(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    stage_id = _stage(live_console)
    with session_scope(live_console.engine) as session:
        announcement = Announcement(
            title="Mulai kampanye",
            body="Masa kampanye dimulai hari ini.",
            stage_id=stage_id,
            stage_anchor="start",
            stage_offset_minutes=0,
            status=AnnouncementStatus.SCHEDULED,
        )
        session.add(announcement)
        session.flush()
        announcement_id = announcement.id
    log_in_over_http(http, live_console.create_account("admin"))
    token = csrf_token(http.get(f"/staf/tahapan/{stage_id}").text)

    refused = http.post(f"/staf/tahapan/{stage_id}/hapus", data={"csrftoken": token})
    shown = http.get(refused.headers["location"])

    assert f"dipakai pengumuman #{announcement_id} yang belum dikirim" in shown.text
    assert _stored(live_console, stage_id) is not None
