"""Helpers for console pages in a real browser: logging in, and ``check_page`` (screenshots at
laptop and phone size, no horizontal overflow, a label for every field, requests seen)."""

from __future__ import annotations

import os
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Page
from playwright.sync_api import Request as BrowserRequest
from playwright.sync_api import Response as BrowserResponse

from tests.console.live import Account, LiveConsole

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}
LAPTOP = {"width": 1366, "height": 768}
HOME = "/staf/kotak-masuk"

# Every form field a person fills in (hidden fields and buttons need no label).
_UNLABELLED_FIELDS = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !(el.tagName === 'INPUT'
                  && ['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)))
  .filter(el => {
    if ((el.getAttribute('aria-label') || '').trim()) return false;
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    if (ids.some(id => (document.getElementById(id)?.textContent || '').trim())) return false;
    return !Array.from(el.labels || []).some(label => label.textContent.trim());
  })
  .map(el => el.outerHTML)"""
_OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@dataclass
class PageLog:
    """What a page asked the network for, what failed to load, and its console errors."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_resources: list[str] = field(default_factory=list)


_logs: weakref.WeakKeyDictionary[Page, PageLog] = weakref.WeakKeyDictionary()


def watch(page: Page) -> Page:
    """Record every request ``page`` makes and every console error, from now on."""
    log = _logs.setdefault(page, PageLog())

    def on_request(request: BrowserRequest) -> None:
        log.requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        # A page answered with 400 or 403 is logged as a load failure too; those are
        # judged by their response below, documents (the page itself) left out.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            log.console_errors.append(message.text)

    def on_response(response: BrowserResponse) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            log.failed_resources.append(f"{response.status} {response.url}")

    def on_request_failed(request: BrowserRequest) -> None:
        log.failed_resources.append(f"{request.failure} {request.url}")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    return page


@dataclass(frozen=True)
class PageReport:
    """What ``check_page`` saw: screenshot files and every request the page made so far."""

    screenshots: list[Path]
    requests: list[str]
    console_errors: list[str]

    def requests_to_other_hosts(self, base_url: str) -> list[str]:
        """Requests that went anywhere but ``base_url``'s host and port."""
        own = urlsplit(base_url).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).netloc != own
        ]


def _save_screenshot(page: Page, path: Path) -> None:
    # Two workers may take the same page's picture (one per database): replace atomically.
    path.parent.mkdir(parents=True, exist_ok=True)
    data = page.screenshot(full_page=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".png.part")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def check_page(page: Page, name: str) -> PageReport:
    """Screenshot ``page`` at 1366×768 and 390×844 into ``tests/console/screenshots/`` and
    assert, at both sizes, that nothing scrolls sideways; assert every field has a label,
    every file the page loaded arrived and its console printed no error (a CSP violation, a
    script error). The page must come from ``visitor_page``/``logged_in_page`` (or ``watch``),
    so that its requests are known."""
    shots = []
    for label, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        scroll_width, inner_width = page.evaluate(_OVERFLOW)
        path = SCREENSHOTS / f"{name}-{label}-{width}x{height}.png"
        _save_screenshot(page, path)
        shots.append(path)
        assert scroll_width <= inner_width, f"{name} scrolls sideways at {width}px: {path}"
    page.set_viewport_size(LAPTOP)
    log = _logs.get(page)
    if log is None:
        raise ValueError("check_page needs a page from visitor_page/logged_in_page or watch()")
    unlabelled = page.evaluate(_UNLABELLED_FIELDS)
    assert unlabelled == [], f"{name}: fields without a label: {unlabelled}"
    assert log.console_errors == [], f"{name}: console errors: {log.console_errors}"
    assert log.failed_resources == [], f"{name}: not loaded: {log.failed_resources}"
    return PageReport(shots, list(log.requests), list(log.console_errors))


def log_in(page: Page, live: LiveConsole, account: Account, *, path: str = "/staf/") -> None:
    """Open ``path`` (the login page by default) and log in with the form."""
    page.goto(live.url(path))
    page.get_by_label("Nama pengguna").fill(account.username)
    page.get_by_label("Kata sandi", exact=True).fill(account.password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
