"""Every console form needs its CSRF token (plain posts and htmx alike); the JSON API, whose
bearer tokens a browser never sends on its own, needs none."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect

from tests.console.forms import log_in_over_http
from tests.console.live import LiveConsole
from tests.console.pages import HOME, check_page

REFUSED = "Demi keamanan, formulir ini hanya dapat dikirim dari halaman konsol staf"


def test_a_login_post_without_the_csrf_token_is_refused_in_indonesian(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    account = live_console.create_account()
    http.get("/staf/")  # the browser has the token cookie, the form lacks the field

    response = http.post(
        "/staf/masuk", data={"username": account.username, "password": account.password}
    )

    assert response.status_code == 403
    assert REFUSED in response.text
    assert "staf_sesi" not in response.headers.get("set-cookie", "")


def test_a_login_post_from_another_site_without_any_cookie_is_refused(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    account = live_console.create_account()

    response = http.post(
        "/staf/masuk",
        data={"username": account.username, "password": account.password, "csrftoken": "x"},
    )

    assert response.status_code == 403
    assert REFUSED in response.text


def test_a_logout_post_without_the_csrf_token_is_refused_and_the_session_stays(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    log_in_over_http(http, live_console.create_account())

    response = http.post("/staf/keluar")

    assert response.status_code == 403
    assert REFUSED in response.text
    assert http.get(HOME).status_code == 200


def test_an_htmx_request_carries_the_token_in_its_header(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page()

    page.evaluate("() => htmx.ajax('POST', '/staf/keluar', {source: 'body', target: 'main'})")

    expect(page.get_by_role("status")).to_have_text("Anda telah keluar. Sampai jumpa kembali.")
    page.goto(live_console.url(HOME))
    expect(page).to_have_url(live_console.url(f"/staf/?next={HOME}"))


def test_the_json_api_needs_no_csrf_token_even_beside_console_cookies(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    account = live_console.create_account()
    http.get("/staf/")
    # As if the browser sent its console cookies to the API too: the API does not check them.
    cookies = {"Cookie": f"staf_csrf={http.cookies['staf_csrf']}"}
    form = {"username": account.username, "password": account.password}

    token = http.post("/auth/token", data=form, headers=cookies)
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}", **cookies}
    answer = http.post("/kb/test", json={"question": "kapan pilkada?"}, headers=bearer)

    assert token.status_code == 200
    assert answer.status_code == 200


def test_a_browser_form_without_its_token_gets_the_refusal_page(
    live_console: LiveConsole, visitor_page: Page
) -> None:
    account = live_console.create_account()
    visitor_page.goto(live_console.url("/staf/"))
    visitor_page.locator("input[name=csrftoken]").evaluate("field => field.remove()")
    visitor_page.get_by_label("Nama pengguna").fill(account.username)
    visitor_page.get_by_label("Kata sandi", exact=True).fill(account.password)

    visitor_page.get_by_role("button", name="Masuk").click()

    expect(
        visitor_page.get_by_role("heading", name="Formulir tidak dapat diproses")
    ).to_be_visible()
    expect(visitor_page.get_by_text(REFUSED)).to_be_visible()
    check_page(visitor_page, "csrf-refused")
