"""The dashboard's period: an unknown one falls back to 30 days and says so; the downloads
refuse it, and need a logged-in staff member like every page."""

from __future__ import annotations

import httpx

from tests.console.forms import log_in_over_http
from tests.console.live import LiveConsole


def test_an_unknown_period_shows_thirty_days_and_says_so(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    log_in_over_http(http, live_console.create_account())

    response = http.get("/staf/dasbor", params={"hari": "5"})

    assert response.status_code == 200
    assert "Periode yang diminta tidak tersedia. Ditampilkan 30 hari terakhir." in response.text
    assert '<option value="30" selected>' in response.text


def test_a_download_of_an_unknown_period_is_refused(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    log_in_over_http(http, live_console.create_account())

    response = http.get("/staf/dasbor/statistik.xlsx", params={"hari": "abc"})

    assert response.status_code == 400
    assert "Periode yang diminta tidak tersedia." in response.text


def test_the_downloads_need_a_logged_in_staff_member(http: httpx.Client) -> None:
    for path in ("/staf/dasbor/statistik.csv", "/staf/dasbor/statistik.xlsx"):
        response = http.get(path)

        assert response.status_code == 303
        assert response.headers["location"].startswith("/staf/?next=")
