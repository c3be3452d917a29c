"""Usulan frasa in the browser: staff see the wordings citizens' taps and 👍 proposed, reached
from the menu, and accept one into its entry or reject it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import Session

from knowledge_base.knowledge.entries import entry_by_slug, knowledge_version
from knowledge_base.learning.models import CandidateSource
from tests.console.forms import csrf_token, log_in_over_http
from tests.console.live import LiveConsole
from tests.console.pages import check_page
from tests.learning_fixtures import PHRASINGS, QUESTION, SLUG, add_candidate, store_entry

ACCEPTED = "logistik pemilu habis pemilu ditaruh dimana"
REJECTED = "gudang kpu buka jam brp"


def test_staff_accept_one_wording_into_its_entry_and_reject_another(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    engine = live_console.engine
    store_entry(engine)
    add_candidate(engine, ACCEPTED)
    add_candidate(engine, ACCEPTED)  # asked twice: listed first
    add_candidate(engine, REJECTED, source=CandidateSource.HELPFUL_VOTE)
    with Session(engine) as session:
        version = knowledge_version(session)
    page = logged_in_page("staff")

    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Usulan frasa"
    ).click()

    rows = page.locator(".candidate-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator('td[data-label="Rumusan warga"]')).to_have_text(ACCEPTED)
    expect(rows.nth(0).locator('td[data-label="Muncul"]')).to_have_text("2 kali")
    expect(rows.nth(0).get_by_role("link", name=QUESTION)).to_have_attribute(
        "href", f"/staf/pengetahuan/{SLUG}"
    )
    expect(rows.nth(1).locator('td[data-label="Asal"]')).to_have_text("Jawabannya dinilai membantu")
    check_page(page, "candidates")

    page.get_by_role("button", name=f"Terima “{ACCEPTED}”").click()
    expect(page.get_by_text(f"Rumusan “{ACCEPTED}” ditambahkan")).to_be_visible()
    page.get_by_role("button", name=f"Tolak “{REJECTED}”").click()
    expect(page.get_by_text(f"Usulan “{REJECTED}” ditolak")).to_be_visible()

    expect(page.get_by_text("Belum ada usulan frasa yang menunggu.")).to_be_visible()
    check_page(page, "candidates-empty")
    with Session(engine) as session:
        assert entry_by_slug(session, SLUG).phrasings == [*PHRASINGS, ACCEPTED]
        assert knowledge_version(session) == version + 1


def test_a_second_decision_on_the_same_wording_is_refused_with_a_message(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    store_entry(live_console.engine)
    candidate_id = add_candidate(live_console.engine, ACCEPTED)
    log_in_over_http(http, live_console.create_account())
    token = csrf_token(http.get("/staf/usulan-frasa").text)
    http.post(f"/staf/usulan-frasa/{candidate_id}/terima", data={"csrftoken": token})

    refused = http.post(f"/staf/usulan-frasa/{candidate_id}/tolak", data={"csrftoken": token})

    assert refused.status_code == 303
    assert "Usulan ini sudah diterima sebelumnya." in http.get("/staf/usulan-frasa").text
    with Session(live_console.engine) as session:
        assert entry_by_slug(session, SLUG).phrasings == [*PHRASINGS, ACCEPTED]
