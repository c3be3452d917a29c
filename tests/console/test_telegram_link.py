"""Tautkan Telegram: a staff member links their own Telegram account with a one-time code sent
to the bot, then receives test copies of announcements there; unlinking stops that."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from knowledge_base.announcements.models import Announcement
from knowledge_base.core.db import session_scope
from knowledge_base.staff.models import StaffUser
from tests.console.live import LiveConsole, LiveOffice
from tests.console.pages import check_page
from tests.telegram.fake_server import BOT_USERNAME, SentCall
from tests.telegram.harness import text_message

STAFF_TELEGRAM_ID = 5005


def _draft(engine: Engine) -> int:
    with session_scope(engine) as session:
        item = Announcement(
            title="Masa tenang",
            body="Mulai <b>besok</b> tidak ada kampanye.",
            audience_areas=["Talawi"],
            send_at=datetime.now(UTC) + timedelta(days=2),
        )
        session.add(item)
        session.flush()
        return item.id


def _messages_to(
    office: LiveOffice, chat_id: int, count: int, timeout: float = 20
) -> list[SentCall]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = office.telegram.sent("sendMessage", chat_id=chat_id)
        if len(sent) >= count:
            return sent
        time.sleep(0.05)
    return office.telegram.sent("sendMessage", chat_id=chat_id)


def test_a_test_copy_goes_to_the_telegram_account_linked_with_a_code(
    live_office: LiveOffice, office_page: Callable[..., Page]
) -> None:
    announcement_id = _draft(live_office.engine)
    page = office_page("staff")
    page.goto(live_office.url(f"/staf/pengumuman/{announcement_id}"))
    page.get_by_role("button", name="Kirim uji ke Telegram saya").click()
    expect(page.get_by_role("alert")).to_contain_text("Akun Telegram Anda belum ditautkan.")
    page.get_by_role("link", name="Tautkan Telegram").last.click()
    check_page(page, "telegram-link")
    page.get_by_role("button", name="Buat kode tautan").click()
    code = page.locator(".ann-code").inner_text()
    expect(page.get_by_text(f"/tautkan {code}")).to_be_visible()
    expect(page.get_by_role("link", name=f"@{BOT_USERNAME}")).to_be_visible()
    check_page(page, "telegram-link-code")

    live_office.telegram.push_update(
        {"message": text_message(STAFF_TELEGRAM_ID, f"/tautkan {code}")}
    )
    _messages_to(live_office, STAFF_TELEGRAM_ID, 1)
    page.get_by_role("link", name="Saya sudah mengirim kode").click()
    expect(page.get_by_text("Akun Telegram Anda sudah tertaut.")).to_be_visible()
    page.goto(live_office.url(f"/staf/pengumuman/{announcement_id}"))
    page.get_by_role("button", name="Kirim uji ke Telegram saya").click()

    expect(page.get_by_role("status")).to_have_text("Salinan uji telah dikirim ke Telegram Anda.")
    copies = _messages_to(live_office, STAFF_TELEGRAM_ID, 2)
    assert copies[-1].params["text"] == (
        "<b>[UJI]</b> <b>Masa tenang</b>\n\nMulai <b>besok</b> tidak ada kampanye."
    )


def test_unlinking_forgets_the_telegram_account(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    account = live_console.create_account()
    with session_scope(live_console.engine) as session:
        session.get(StaffUser, account.id).telegram_user_id = STAFF_TELEGRAM_ID
    page = logged_in_page(account=account)
    page.get_by_role("link", name="Tautkan Telegram").click()
    expect(page.get_by_text("Akun Telegram Anda sudah tertaut.")).to_be_visible()

    page.get_by_role("button", name="Lepaskan tautan").click()

    expect(page.get_by_role("status")).to_contain_text("Tautan Telegram telah dilepas.")
    expect(page.get_by_text("Akun Telegram Anda belum tertaut.")).to_be_visible()
    assert live_console.staff(account).telegram_user_id is None
