"""The layout around every page: the menu by role, admin-only pages, and error pages in
Indonesian."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect

from tests.console.forms import log_in_over_http
from tests.console.live import ADMIN_PROBE_PATH, LiveConsole
from tests.console.pages import check_page

STAFF_MENU = [
    "Kotak masuk",
    "Basis pengetahuan",
    "Usulan frasa",
    "Tahapan",
    "Pengumuman",
    "Dasbor",
]


def test_an_admin_only_page_is_refused_to_a_staff_account(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page("staff")

    response = page.goto(live_console.url(ADMIN_PROBE_PATH))

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Akses ditolak")).to_be_visible()
    expect(page.get_by_text("Halaman ini hanya dapat dibuka oleh admin.")).to_be_visible()
    check_page(page, "admin-only-refused")


def test_an_admin_only_page_opens_for_an_admin(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page("admin")

    response = page.goto(live_console.url(ADMIN_PROBE_PATH))

    assert response is not None and response.status == 200


def test_the_staff_menu_item_is_shown_to_admins_only(
    logged_in_page: Callable[..., Page],
) -> None:
    page = logged_in_page("staff")

    menu = page.get_by_role("navigation", name="Menu utama")

    expect(menu.get_by_role("link")).to_have_text(STAFF_MENU)


def test_an_unknown_console_page_answers_an_indonesian_404_page(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    log_in_over_http(http, live_console.create_account())

    response = http.get("/staf/tidak-ada")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Halaman tidak ditemukan" in response.text


def test_console_pages_allow_only_their_own_scripts_and_styles(http: httpx.Client) -> None:
    response = http.get("/staf/")

    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["cache-control"] == "no-store"


def test_the_api_still_answers_errors_in_json(http: httpx.Client) -> None:
    response = http.get("/tidak-ada")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401


def test_an_unknown_page_shows_the_layout_and_a_way_back(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page()

    page.goto(live_console.url("/staf/tidak-ada"))

    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    expect(page.get_by_role("link", name="Kembali ke Kotak masuk")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu utama")).to_be_visible()
    check_page(page, "not-found")


def test_staf_without_its_slash_leads_to_the_login_page(http: httpx.Client) -> None:
    response = http.get("/staf")

    assert response.status_code == 308
    assert response.headers["location"] == "/staf/"
