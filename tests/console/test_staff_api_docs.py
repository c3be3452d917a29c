"""The staff API's docs (Swagger UI at /docs, ReDoc at /redoc) load in a real browser from
this server alone, and list the operations by their summaries.

ReDoc's bundle always asks for its "API docs by Redocly" logo on cdn.redoc.ly; the docs'
Content-Security-Policy blocks that request before it leaves the browser."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import Request as BrowserRequest

from tests.console.live import LiveConsole

RENDER_TIMEOUT_MS = 30_000  # ReDoc parses the whole document first; slow on a busy machine


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_docs_load_nothing_from_another_host(
    visitor_page: Page, live_console: LiveConsole, path: str
) -> None:
    loaded: list[str] = []
    visitor_page.on("requestfinished", lambda request: loaded.append(request.url))
    blocked: list[BrowserRequest] = []
    visitor_page.on("requestfailed", lambda request: blocked.append(request))

    visitor_page.goto(live_console.url(path))

    summary = visitor_page.get_by_text("List staff accounts (admins)").filter(visible=True).first
    expect(summary).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    visitor_page.wait_for_load_state("networkidle")
    own = urlsplit(live_console.base_url).netloc
    assert [url for url in loaded if urlsplit(url).netloc not in (own, "")] == []
    assert all(urlsplit(r.url).netloc == own or "csp" in (r.failure or "") for r in blocked)
