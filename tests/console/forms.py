"""Plain-HTTP helpers for console forms: the CSRF token a page carries, and logging in."""

from __future__ import annotations

import re

import httpx

from tests.console.live import Account

_TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token in the first form of ``html``."""
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def log_in_over_http(client: httpx.Client, account: Account, **extra: str) -> httpx.Response:
    """Fetch the login page (for its token and cookie) and post the form, as a browser does."""
    token = csrf_token(client.get("/staf/").text)
    form = {"username": account.username, "password": account.password, "csrftoken": token}
    return client.post("/staf/masuk", data={**form, **extra})
