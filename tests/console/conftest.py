"""Fixtures for the staff console's browser tests (Playwright driving Debian's Chromium).

- ``live_console``: the whole app served on 127.0.0.1 on this test's database (SQLite and
  PostgreSQL, like every storage test), with ``create_account(role)`` and ``deactivate``;
- ``live_office``: the same with the polling bot, outbox sender and scheduler on a fake Bot
  API (``.telegram``, ``.citizen(chat_id)``), for journeys that end at a citizen;
- ``visitor_page``: a fresh browser page, not logged in, whose requests are recorded;
- ``logged_in_page(role="staff", account=None)``: a page logged in through the form, on the
  inbox; each call has its own browser context (cookies), so several people can take part;
  ``office_page`` does the same on ``live_office``;
- ``http``: a plain httpx client of the live server (``tests.console.forms`` logs it in).

``tests.console.pages.check_page(page, name)`` takes the screenshots and checks overflow,
labels and loaded files. A module with browser tests may hold no asyncio test (see
``playwright`` below); collection refuses one that does.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    BrowserType,
    Page,
    Playwright,
    sync_playwright,
)
from sqlalchemy.engine import Engine

from knowledge_base.core.settings import Settings
from tests.console.live import Account, LiveConsole, LiveOffice, serve_console, serve_office
from tests.console.pages import HOME, LAPTOP, log_in, watch

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent


def _uses_browser(item: pytest.Item) -> bool:
    return "new_context" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here that opens a browser (``-m "not browser"`` leaves them out), and
    refuse a module that mixes browser tests with asyncio tests (see ``playwright`` below)."""
    by_module: dict[Path, list[pytest.Item]] = {}
    for item in items:
        if HERE in Path(item.path).parents:
            by_module.setdefault(Path(item.path), []).append(item)
    for path, module_items in by_module.items():
        browser_tests = [item for item in module_items if _uses_browser(item)]
        for item in browser_tests:
            item.add_marker(pytest.mark.browser)
        if browser_tests and any(_is_async(item) for item in module_items):
            raise pytest.UsageError(
                f"{path.name}: put asyncio tests in a module without browser tests"
            )


def _is_async(item: pytest.Item) -> bool:
    return inspect.iscoroutinefunction(getattr(item, "function", None))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium; Playwright's own browser builds are never downloaded."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM)}


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    """A laptop-sized window in Indonesian, in the office's time zone."""
    return {"viewport": LAPTOP, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


# Playwright's sync API marks its event loop as running in this thread for as long as it is
# started, so no asyncio test can run meanwhile: it lives for one test module at a time (a
# worker runs a module's tests one after another), instead of pytest-playwright's session.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType
) -> Callable[..., Browser]:
    def launch(**kwargs: Any) -> Browser:
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    opened = launch_browser()
    yield opened
    opened.close()


@pytest.fixture
def live_console(database_url: str, engine: Engine, tmp_path: Path) -> Iterator[LiveConsole]:
    """The app (API and console) served on a free 127.0.0.1 port on this test's database."""
    settings = Settings(_env_file=None, database_url=database_url, cache_dir=tmp_path / "cache")
    with serve_console(settings, engine) as live:
        yield live


@pytest.fixture
def live_office(database_url: str, engine: Engine, tmp_path: Path) -> Iterator[LiveOffice]:
    """The app with the polling bot, outbox and scheduler, on the fake Bot API
    (``live_office.telegram``; ``live_office.citizen(chat_id)`` talks to the bot)."""
    settings = Settings(_env_file=None, database_url=database_url, cache_dir=tmp_path / "cache")
    with serve_office(settings, engine) as live:
        yield live


@pytest.fixture
def http(live_console: LiveConsole) -> Iterator[httpx.Client]:
    """A plain HTTP client of the live server (no browser, redirects not followed)."""
    with httpx.Client(base_url=live_console.base_url, timeout=10) as client:
        yield client


def new_page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a context of its own (its own cookies), whose requests are recorded."""
    return watch(new_context().new_page())


@pytest.fixture
def visitor_page(new_context: Callable[..., BrowserContext]) -> Page:
    """A browser page of someone who is not logged in."""
    return new_page(new_context)


def _page_opener(
    live: LiveConsole, new_context: Callable[..., BrowserContext]
) -> Callable[..., Page]:
    def open_page(role: str = "staff", account: Account | None = None) -> Page:
        account = account or live.create_account(role)
        page = new_page(new_context)
        log_in(page, live, account)
        page.wait_for_url(f"**{HOME}")
        return page

    return open_page


@pytest.fixture
def logged_in_page(
    live_console: LiveConsole, new_context: Callable[..., BrowserContext]
) -> Callable[..., Page]:
    """Opens a page logged in as a new account of ``role`` (or as ``account``), on the inbox."""
    return _page_opener(live_console, new_context)


@pytest.fixture
def office_page(
    live_office: LiveOffice, new_context: Callable[..., BrowserContext]
) -> Callable[..., Page]:
    """``logged_in_page`` on ``live_office`` (bot, outbox and scheduler running)."""
    return _page_opener(live_office, new_context)
