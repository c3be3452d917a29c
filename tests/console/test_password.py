""" "Ubah kata sandi": the form, the rules (the same as the API's and the CLI's), and what a
new password does to the old one and to other sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.console.forms import csrf_token, log_in_over_http
from tests.console.live import LiveConsole
from tests.console.pages import HOME, check_page, log_in

NEW_PASSWORD = "kata-sandi-baru-456"
PASSWORD_PATH = "/staf/kata-sandi"


def _change_password(page: Page, current: str, new: str, repeated: str | None = None) -> None:
    page.get_by_label("Kata sandi saat ini", exact=True).fill(current)
    page.get_by_label("Kata sandi baru", exact=True).fill(new)
    page.get_by_label("Ulangi kata sandi baru", exact=True).fill(
        new if repeated is None else repeated
    )
    page.get_by_role("button", name="Simpan kata sandi baru").click()


def test_changing_the_password_works_and_the_old_one_stops_working(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    account = live_console.create_account()
    page = logged_in_page(account=account)
    page.get_by_role("link", name="Ubah kata sandi").click()

    _change_password(page, account.password, NEW_PASSWORD)

    expect(page.get_by_role("status")).to_contain_text("Kata sandi Anda telah diubah.")
    page.get_by_role("button", name="Keluar").click()
    log_in(page, live_console, account)
    expect(page.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah.")
    log_in(page, live_console, replace(account, password=NEW_PASSWORD))
    expect(page).to_have_url(live_console.url(HOME))


@pytest.mark.parametrize(
    ("current", "new", "repeated", "message"),
    [
        ("salah-sekali-123", NEW_PASSWORD, NEW_PASSWORD, "Kata sandi saat ini salah."),
        (None, "pendek", "pendek", "paling sedikit 10 karakter"),
        (None, NEW_PASSWORD, NEW_PASSWORD + "x", "tidak sama"),
        (None, None, None, "harus berbeda"),
    ],
    ids=["wrong current", "too short", "repeated differently", "unchanged"],
)
def test_a_refused_new_password_keeps_the_old_one(
    live_console: LiveConsole,
    http: httpx.Client,
    current: str | None,
    new: str | None,
    repeated: str | None,
    message: str,
) -> None:
    account = live_console.create_account()
    log_in_over_http(http, account)
    token = csrf_token(http.get(PASSWORD_PATH).text)
    form = {
        "current": current or account.password,
        "new": new or account.password,
        "repeated": repeated or account.password,
    }

    response = http.post(PASSWORD_PATH, data={**form, "csrftoken": token})

    assert response.status_code == 422
    assert message in response.text
    with httpx.Client(base_url=live_console.base_url) as another_browser:
        assert log_in_over_http(another_browser, account).status_code == 303


def test_a_new_password_ends_the_other_sessions_but_not_this_one(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    account = live_console.create_account()
    with httpx.Client(base_url=live_console.base_url) as other_browser:
        log_in_over_http(other_browser, account)
        log_in_over_http(http, account)
        form = {"current": account.password, "new": NEW_PASSWORD, "repeated": NEW_PASSWORD}
        form["csrftoken"] = csrf_token(http.get(PASSWORD_PATH).text)

        changed = http.post(PASSWORD_PATH, data=form)

        assert changed.status_code == 303
        assert http.get(HOME).status_code == 200
        assert other_browser.get(HOME).status_code == 303


def test_the_password_page_has_labels_and_fits_a_laptop_and_a_phone(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page()
    page.goto(live_console.url(PASSWORD_PATH))

    check_page(page, "password")

    expect(page.get_by_role("heading", name="Ubah kata sandi")).to_be_visible()


def test_the_password_page_with_an_error_has_labels_and_fits(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page()
    page.goto(live_console.url(PASSWORD_PATH))
    _change_password(page, "salah-sekali-123", NEW_PASSWORD)
    expect(page.get_by_role("alert")).to_have_text("Kata sandi saat ini salah.")

    check_page(page, "password-error")
