"""Console sessions: logging out, deactivation, the cookie's flags, and requests (browser or
htmx) that arrive without a valid session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from knowledge_base.core.settings import Settings
from tests.console.forms import csrf_token, log_in_over_http
from tests.console.live import LiveConsole, serve_console
from tests.console.pages import HOME

SESSION_COOKIE = "staf_sesi"


def _session_cookie(page: Page) -> dict[str, Any]:
    return next(c for c in page.context.cookies() if c["name"] == SESSION_COOKIE)


def test_logging_out_shows_the_login_page_and_the_inbox_is_closed(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page()

    page.get_by_role("button", name="Keluar").click()

    expect(page).to_have_url(live_console.url("/staf/"))
    expect(page.get_by_role("status")).to_have_text("Anda telah keluar. Sampai jumpa kembali.")
    page.goto(live_console.url(HOME))
    expect(page).to_have_url(live_console.url(f"/staf/?next={HOME}"))


def test_a_session_cookie_kept_from_before_logout_no_longer_works(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    account = live_console.create_account()
    log_in_over_http(http, account)
    kept = http.cookies.get(SESSION_COOKIE)
    http.post("/staf/keluar", data={"csrftoken": csrf_token(http.get(HOME).text)})

    response = httpx.get(live_console.url(HOME), headers={"Cookie": f"{SESSION_COOKIE}={kept}"})

    assert response.status_code == 303
    assert response.headers["location"] == f"/staf/?next={HOME}"


def test_a_deactivated_staff_member_is_logged_out_on_the_next_request(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    account = live_console.create_account()
    page = logged_in_page(account=account)

    live_console.deactivate(account)
    page.reload()

    expect(page).to_have_url(live_console.url(f"/staf/?next={HOME}"))
    expect(page.get_by_role("alert")).to_have_text(
        "Sesi Anda telah berakhir. Silakan masuk kembali."
    )
    assert SESSION_COOKIE not in {c["name"] for c in page.context.cookies()}


def test_the_session_cookie_is_httponly_samesite_lax_and_for_the_console_only(
    logged_in_page: Callable[..., Page],
) -> None:
    page = logged_in_page()

    cookie = _session_cookie(page)

    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/staf"
    assert cookie["secure"] is False  # plain http on 127.0.0.1
    assert page.evaluate("document.cookie").find(SESSION_COOKIE) == -1


def _set_cookie(response: httpx.Response, name: str) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}="))


def test_the_cookies_are_secure_when_a_trusted_proxy_says_https(
    database_url: str, engine: Engine
) -> None:
    settings = Settings(_env_file=None, database_url=database_url, trusted_proxies="127.0.0.1")
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    with serve_console(settings, engine) as live, httpx.Client(base_url=live.base_url) as client:
        account = live.create_account()
        page = client.get("/staf/", headers=https)
        # The client speaks plain http to the "proxy", so it keeps Secure cookies to itself.
        csrf_cookie = _set_cookie(page, "staf_csrf").split(";")[0]
        form = {"username": account.username, "password": account.password}
        response = client.post(
            "/staf/masuk",
            data={**form, "csrftoken": csrf_token(page.text)},
            headers={**https, "Cookie": csrf_cookie},
        )

    assert response.status_code == 303
    assert "; Secure" in _set_cookie(page, "staf_csrf")
    assert "; Secure" in _set_cookie(response, SESSION_COOKIE)


def test_an_htmx_request_without_a_session_is_sent_to_the_login_page(
    http: httpx.Client,
) -> None:
    headers = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1/staf/kata-sandi"}

    response = http.get("/staf/kata-sandi", headers=headers)

    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/staf/?next=/staf/kata-sandi"


def test_a_form_posted_without_a_session_is_sent_to_the_login_page_unread(
    http: httpx.Client,
) -> None:
    response = http.post("/staf/kata-sandi", data={"current": "x", "new": "y", "repeated": "y"})

    assert response.status_code == 303
    assert response.headers["location"] == "/staf/"
