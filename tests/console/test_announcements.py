"""Pengumuman in the console: composing (plain text or Telegram HTML, a time or a stage,
kecamatan), the four-eyes approval, and delivery to subscribers by the running scheduler."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from admin_api.console.formatting import format_date
from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.conversations.models import Chat
from knowledge_base.core.db import session_scope
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.models import ElectionStage
from knowledge_base.knowledge.office import office_content
from knowledge_base.staff.models import AuditLog
from tests.console.forms import csrf_token, log_in_over_http
from tests.console.live import LiveConsole, LiveOffice, serve_office
from tests.console.pages import check_page
from tests.telegram.fake_server import Fault, SentCall

JAKARTA = ZoneInfo("Asia/Jakarta")
NEW_PATH = "/staf/pengumuman/baru"
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


@pytest.fixture
def live_office(database_url: str, engine: Engine, tmp_path: Path) -> Iterator[LiveOffice]:
    """The office with a two-hour grace period: a stage-timed announcement (whole hours from
    08.00) that fell due at the last full hour is still sent, whatever minute the test runs."""
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        cache_dir=tmp_path / "cache",
        announcement_grace_minutes=120,
    )
    with serve_office(settings, engine) as live:
        yield live


def _subscribe(engine: Engine, chats: dict[int, list[str]]) -> None:
    with session_scope(engine) as session:
        for chat_id, areas in chats.items():
            session.add(Chat(telegram_chat_id=chat_id, subscribed=True, subscription_areas=areas))


def _soon_local(minutes: int) -> str:
    """Office time ``minutes`` from now, as a datetime-local field takes it."""
    return (datetime.now(JAKARTA) + timedelta(minutes=minutes)).strftime(LOCAL_MINUTE)


def _write(
    page: Page,
    *,
    title: str,
    body: str,
    areas: list[str],
    send_at: str | None = None,
    html_mode: bool = False,
) -> None:
    """Fill in the composer (a date and time, unless the caller chose a stage before)."""
    page.get_by_label("Judul").fill(title)
    if html_mode:
        page.get_by_label("HTML Telegram").check()
    page.get_by_label("Isi pengumuman").fill(body)
    if send_at is not None:
        page.get_by_label("Tanggal dan jam kirim").fill(send_at)
    for area in areas:
        page.get_by_label(area, exact=True).check()


def _compose(page: Page, live: LiveConsole, **fields: object) -> None:
    page.goto(live.url(NEW_PATH))
    _write(page, **fields)  # type: ignore[arg-type]
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("status")).to_contain_text("Draf disimpan.")


def _messages(office: LiveOffice, chat_id: int, timeout: float = 20) -> list[SentCall]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = office.telegram.sent("sendMessage", chat_id=chat_id)
        if sent:
            return sent
        time.sleep(0.05)
    return []


def _wait_until_sent(engine: Engine, timeout: float = 20) -> Announcement:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Session(engine) as session:
            item = session.exec(select(Announcement)).first()
            if item is not None and item.status == AnnouncementStatus.SENT:
                return item
        time.sleep(0.1)
    raise AssertionError("the announcement was not sent in time")


def _stage_due_at_the_last_full_hour(engine: Engine) -> tuple[str, int, int]:
    """A running stage (started yesterday) and the days and hours after its start (08.00
    yesterday) that land on the last full hour; returns its option label too."""
    now = datetime.now(JAKARTA)
    yesterday = now.date() - timedelta(days=1)
    ends = now.date() + timedelta(days=3)
    with session_scope(engine) as session:
        session.add(
            ElectionStage(
                election="Pilkada Uji", stage="Kampanye", starts_on=yesterday, ends_on=ends
            )
        )
    anchor = datetime.combine(yesterday, datetime.min.time(), tzinfo=JAKARTA) + timedelta(hours=8)
    hours_after = (
        int((now.replace(minute=0, second=0, microsecond=0) - anchor).total_seconds()) // 3600
    )
    days, hours = divmod(hours_after, 24)
    return (
        f"Kampanye ({format_date(yesterday, JAKARTA)} – {format_date(ends, JAKARTA)})",
        days,
        hours,
    )


def test_a_stage_timed_announcement_reaches_the_subscribers_of_its_kecamatan(
    live_office: LiveOffice, office_page: Callable[..., Page]
) -> None:
    label, days, hours = _stage_due_at_the_last_full_hour(live_office.engine)
    _subscribe(live_office.engine, {7001: ["Talawi"], 7002: ["Barangin"]})
    page = office_page("staff")
    page.goto(live_office.url(NEW_PATH))
    page.get_by_label("Mengikuti tahapan pemilu").check()
    page.get_by_label("Tahapan", exact=True).select_option(label=label)
    page.get_by_label("Hari", exact=True).fill(str(days))
    page.get_by_label("Jam", exact=True).fill(str(hours))
    _write(page, title="Kampanye berjalan", body="Laporkan pelanggaran.", areas=["Talawi"])
    check_page(page, "announcement-composer-stage")
    page.get_by_role("button", name="Simpan draf").click()

    page.get_by_role("button", name="Ajukan").click()

    expect(page.get_by_role("status")).to_contain_text("sudah terjadwal")
    received = _messages(live_office, 7001)
    _wait_until_sent(live_office.engine)
    assert [m.params["text"] for m in received] == [
        "<b>Kampanye berjalan</b>\n\nLaporkan pelanggaran."
    ]
    assert live_office.telegram.sent("sendMessage", chat_id=7002) == []


def test_the_writer_cannot_approve_their_own_announcement(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    page = logged_in_page("staff")
    _compose(
        page,
        live_console,
        title="Untuk semua",
        body="Halo.",
        areas=["Semua pelanggan"],
        send_at=_soon_local(60),
    )
    page.get_by_role("button", name="Ajukan").click()

    page.get_by_role("button", name="Setujui").click()

    expect(page.get_by_role("alert")).to_have_text(
        "Pengumuman harus disetujui oleh petugas lain yang tidak menulis atau mengubahnya."
    )
    expect(page.locator(".ann-heading .ann-status")).to_have_text("Menunggu persetujuan")
    check_page(page, "announcement-detail")


def test_a_colleague_approves_it_from_their_approval_queue(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    writer = logged_in_page("staff")
    _compose(
        writer,
        live_console,
        title="Untuk semua",
        body="Halo.",
        areas=["Semua pelanggan"],
        send_at=_soon_local(60),
    )
    writer.get_by_role("button", name="Ajukan").click()
    colleague = logged_in_page("staff")
    colleague.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Pengumuman"
    ).click()
    check_page(colleague, "announcements-list")

    colleague.get_by_role("region", name="Menunggu persetujuan Anda").get_by_role(
        "link", name="Untuk semua"
    ).click()
    colleague.get_by_role("button", name="Setujui").click()

    expect(colleague.get_by_role("status")).to_have_text(
        "Pengumuman disetujui dan sudah terjadwal."
    )
    with Session(live_console.engine) as session:
        actions = session.exec(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-1] == "announcement.approve"
    writer.goto(live_console.url("/staf/pengumuman"))
    expect(writer.get_by_role("region", name="Menunggu persetujuan Anda")).to_contain_text(
        "Tidak ada pengumuman yang menunggu persetujuan Anda."
    )


def test_plain_text_reaches_the_subscriber_exactly_as_typed(
    live_office: LiveOffice, office_page: Callable[..., Page]
) -> None:
    typed = "Rapat KPU & warga <umum>\nPukul 09.00 di aula."
    _subscribe(live_office.engine, {7101: ["Talawi"]})
    page = office_page("staff")
    page.goto(live_office.url(NEW_PATH))
    _write(page, title="Rapat & diskusi", body=typed, areas=["Talawi"], send_at=_soon_local(-1))
    expect(page.locator("#ann-preview")).to_contain_text("Rapat KPU & warga <umum>")
    page.get_by_role("button", name="Simpan draf").click()

    page.get_by_role("button", name="Ajukan").click()

    received = _messages(live_office, 7101)
    assert [m.params["text"] for m in received] == [
        "<b>Rapat &amp; diskusi</b>\n\nRapat KPU &amp; warga &lt;umum&gt;\nPukul 09.00 di aula."
    ]
    assert html.unescape(received[0].params["text"].split("\n\n", 1)[1]) == typed


def test_an_html_body_telegram_would_refuse_is_refused_next_to_the_field_and_kept(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    typed = "<b>Penting</b> <div>Datang ke TPS</div>"
    page = logged_in_page("staff")
    page.goto(live_console.url(NEW_PATH))
    _write(
        page,
        title="Hari pemungutan",
        body=typed,
        areas=["Talawi"],
        send_at=_soon_local(60),
        html_mode=True,
    )

    page.get_by_role("button", name="Simpan draf").click()

    body = page.get_by_label("Isi pengumuman")
    expect(body).to_have_accessible_description(re.compile("tag <div> tidak didukung Telegram"))
    expect(body).to_have_value(typed)
    expect(page.get_by_label("Judul")).to_have_value("Hari pemungutan")
    expect(page.get_by_label("HTML Telegram")).to_be_checked()
    check_page(page, "announcement-composer-refused")
    with Session(live_console.engine) as session:
        assert session.exec(select(Announcement)).all() == []


def test_the_composer_offers_only_the_known_kecamatan(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    page = logged_in_page("staff")

    page.get_by_role("link", name="Pengumuman").click()
    page.get_by_role("link", name="Tulis pengumuman").click()

    audience = page.get_by_role("group", name="Penerima").get_by_role("checkbox")
    areas = office_content(live_console.settings).areas
    expect(audience).to_have_count(len(areas) + 1)
    assert [box.evaluate("el => el.labels[0].textContent.trim()") for box in audience.all()] == [
        "Semua pelanggan",
        *areas,
    ]
    check_page(page, "announcement-composer")


def test_a_forged_post_with_an_unknown_kecamatan_is_refused(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    log_in_over_http(http, live_console.create_account())
    form = {
        "csrftoken": csrf_token(http.get(NEW_PATH).text),
        "title": "Pengumuman palsu",
        "body": "Halo.",
        "send_at": _soon_local(60),
        "areas": ["Talawi", "Atlantis"],
    }

    response = http.post(NEW_PATH, data=form)

    assert response.status_code == 422
    assert "Kecamatan tidak dikenal: Atlantis." in response.text
    with Session(live_console.engine) as session:
        assert session.exec(select(Announcement)).all() == []


def test_a_test_copy_without_a_running_bot_says_so(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    log_in_over_http(http, live_console.create_account())
    with session_scope(live_console.engine) as session:
        item = Announcement(title="Uji", body="Halo.", send_at=datetime.now(JAKARTA))
        session.add(item)
        session.flush()
        path = f"/staf/pengumuman/{item.id}"
    token = csrf_token(http.get(path).text)

    response = http.post(f"{path}/uji", data={"csrftoken": token}, follow_redirects=True)

    assert "Bot Telegram tidak berjalan di server ini" in response.text


def test_the_delivery_report_shows_the_numbers_after_delivery(
    live_office: LiveOffice, office_page: Callable[..., Page]
) -> None:
    _subscribe(live_office.engine, {7201: ["Talawi"], 7202: ["Talawi"], 7203: ["Talawi"]})
    live_office.telegram.fail_chat(7202, Fault(403, "Forbidden: bot was blocked by the user"))
    live_office.telegram.fail_chat(7203, Fault(400, "Bad Request: chat not found"))
    with session_scope(live_office.engine) as session:
        item = Announcement(
            title="Laporan",
            body="Halo.",
            audience_areas=["Talawi"],
            send_at=datetime.now(JAKARTA) - timedelta(minutes=1),
            status=AnnouncementStatus.SCHEDULED,
        )
        session.add(item)
    sent = _wait_until_sent(live_office.engine)
    page = office_page("staff")

    page.goto(live_office.url(f"/staf/pengumuman/{sent.id}"))

    report = page.get_by_role("region", name="Laporan pengiriman")
    numbers = {"Terkirim": 1, "Gagal": 1, "Diblokir": 1, "Menunggu": 0, "Jumlah": 3}
    for label, count in numbers.items():
        expect(report.get_by_role("row", name=label).get_by_role("cell")).to_have_text(str(count))
    expect(report.get_by_role("img")).to_have_accessible_name(
        "Terkirim 1, Gagal 1, Diblokir 1, Menunggu 0, Dibatalkan 0 dari 3 pesan."
    )
    check_page(page, "announcement-delivered")
