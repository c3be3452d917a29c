"""The office fixture runs what `tanyapemilu serve` runs: a citizen's question reaches the bot."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from tests.console.live import LiveOffice
from tests.telegram.harness import text_message


def _replies(office: LiveOffice, chat_id: int, timeout: float = 20) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = office.telegram.sent("sendMessage", chat_id=chat_id)
        if sent:
            return sent
        time.sleep(0.05)
    return []


def test_the_office_answers_citizens_while_staff_use_the_console(live_office, office_page) -> None:
    page: Page = office_page("staff")
    live_office.telegram.push_update({"message": text_message(4242, "gmn cara cek dpt online")})

    replies = _replies(live_office, 4242)

    expect(page.get_by_role("heading", name="Kotak masuk")).to_be_visible()
    assert replies and "cekdptonline" in replies[0].params["text"]
