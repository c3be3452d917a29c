"""Point 8: security headers, safe links in announcements, strict chat ids."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.api_fixtures import STAFF, login

ANNOUNCEMENT = {"title": "Uji tautan", "audience_areas": [], "send_at": "2030-01-01T08:00:00Z"}


async def test_every_response_says_nosniff_and_carries_a_csp(api: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/staff/me", "/tidak-ada"):
        response = await api.get(path)

        assert response.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"


async def test_authenticated_responses_are_not_cached(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    response = await api.get("/staff/me", headers=headers)

    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
async def test_an_announcement_with_a_script_link_is_refused(
    api: httpx.AsyncClient, href: str
) -> None:
    headers = await login(api, *STAFF)
    body = f'Lihat <a href="{href}">di sini</a>'

    response = await api.post(
        "/announcements", json={**ANNOUNCEMENT, "body": body}, headers=headers
    )

    assert response.status_code == 422
    assert "tautan" in response.json()["error"]["fields"]["body"]


async def test_an_announcement_with_a_web_link_is_accepted(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    body = 'Lihat <a href="https://kota-sawahlunto.kpu.go.id">situs KPU</a>'

    response = await api.post(
        "/announcements", json={**ANNOUNCEMENT, "body": body}, headers=headers
    )

    assert response.status_code == 201


@pytest.mark.parametrize("chat_id", [False, True, 0, "12345", 1.5, None])
async def test_a_test_copy_needs_a_real_chat_id(api: httpx.AsyncClient, chat_id: object) -> None:
    headers = await login(api, *STAFF)
    created = await api.post(
        "/announcements", json={**ANNOUNCEMENT, "body": "Isi uji"}, headers=headers
    )

    response = await api.post(
        f"/announcements/{created.json()['id']}/test", json={"chat_id": chat_id}, headers=headers
    )

    assert response.status_code == 422


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_api_docs_load_nothing_from_another_host(
    api: httpx.AsyncClient, page: str
) -> None:
    html = (await api.get(page)).text

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    assert all(source.startswith("/") for source in sources), sources
    for source in sources:
        assert (await api.get(source)).status_code == 200, source
