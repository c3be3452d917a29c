"""Logging in to the staff console: the page a visitor sees, wrong passwords, where a login
leads, and what the login page and the inbox load."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.console.live import LiveConsole
from tests.console.pages import HOME, check_page, log_in

SESSION_COOKIE = "staf_sesi"


def test_the_login_page_is_shown_at_staf_to_a_visitor(
    live_console: LiveConsole, visitor_page: Page
) -> None:
    visitor_page.goto(live_console.url("/staf/"))

    expect(visitor_page).to_have_url(live_console.url("/staf/"))
    expect(visitor_page.get_by_role("heading", name="Masuk ke konsol staf")).to_be_visible()
    expect(visitor_page.get_by_role("button", name="Masuk")).to_be_visible()


def test_a_wrong_password_shows_an_indonesian_error_and_starts_no_session(
    live_console: LiveConsole, visitor_page: Page
) -> None:
    account = live_console.create_account()

    log_in(visitor_page, live_console, replace(account, password="salah-sekali-123"))

    expect(visitor_page.get_by_role("alert")).to_have_text(
        "Nama pengguna atau kata sandi salah. Silakan periksa kembali."
    )
    cookies = {cookie["name"] for cookie in visitor_page.context.cookies()}
    assert SESSION_COOKIE not in cookies


def test_logging_in_lands_on_the_inbox_with_the_name_and_office_time(
    live_console: LiveConsole, visitor_page: Page
) -> None:
    account = live_console.create_account(full_name="Rina Marlina")

    log_in(visitor_page, live_console, account)

    expect(visitor_page).to_have_url(live_console.url(HOME))
    expect(visitor_page.get_by_role("heading", name="Kotak masuk")).to_be_visible()
    expect(visitor_page.locator(".account-name")).to_have_text("Rina Marlina")
    expect(visitor_page.locator("time")).to_have_text(
        re.compile(
            r"^\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4} \d{2}\.\d{2} WIB$"
        )
    )


def test_a_login_asked_for_by_a_page_leads_back_to_it(
    live_console: LiveConsole, visitor_page: Page
) -> None:
    account = live_console.create_account()
    visitor_page.goto(live_console.url("/staf/kata-sandi"))
    expect(visitor_page).to_have_url(live_console.url("/staf/?next=/staf/kata-sandi"))

    visitor_page.get_by_label("Nama pengguna").fill(account.username)
    visitor_page.get_by_label("Kata sandi", exact=True).fill(account.password)
    visitor_page.get_by_role("button", name="Masuk").click()

    expect(visitor_page).to_have_url(live_console.url("/staf/kata-sandi"))


@pytest.mark.parametrize(
    "target", ["https://penipu.example/staf/", "//penipu.example/staf/", "/\\penipu.example"]
)
def test_next_refuses_an_external_address(
    live_console: LiveConsole, visitor_page: Page, target: str
) -> None:
    account = live_console.create_account()

    log_in(visitor_page, live_console, account, path=f"/staf/?next={target}")

    expect(visitor_page).to_have_url(live_console.url(HOME))


def test_the_login_page_has_labels_and_fits_a_laptop_and_a_phone(
    live_console: LiveConsole, visitor_page: Page
) -> None:
    visitor_page.goto(live_console.url("/staf/"))

    report = check_page(visitor_page, "login")

    assert len(report.screenshots) == 2


def test_the_login_page_with_an_error_has_labels_and_fits(
    live_console: LiveConsole, visitor_page: Page
) -> None:
    account = live_console.create_account()
    log_in(visitor_page, live_console, replace(account, password="salah-sekali-123"))

    check_page(visitor_page, "login-error")


def test_the_login_page_and_the_inbox_load_nothing_from_another_host(
    live_console: LiveConsole, visitor_page: Page
) -> None:
    account = live_console.create_account()
    log_in(visitor_page, live_console, account)
    expect(visitor_page).to_have_url(live_console.url(HOME))

    report = check_page(visitor_page, "inbox")

    assert report.requests_to_other_hosts(live_console.base_url) == []
    paths = {urlsplit(url).path for url in report.requests}
    assert {"/staf/", HOME, "/staf/static/console.css", "/staf/static/htmx.min.js"} <= paths


def test_the_inbox_has_the_full_menu_for_an_admin(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page("admin")

    check_page(page, "inbox-admin")

    menu = page.get_by_role("navigation", name="Menu utama")
    expect(menu.get_by_role("link")).to_have_text(
        [
            "Kotak masuk",
            "Basis pengetahuan",
            "Usulan frasa",
            "Tahapan",
            "Pengumuman",
            "Dasbor",
            "Staf",
        ]
    )
    expect(menu.get_by_role("link", name="Kotak masuk")).to_have_attribute("aria-current", "page")
