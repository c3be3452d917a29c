"""Staff sign in with OAuth2 password flow; tokens are signed, short-lived and revocable."""

from __future__ import annotations

import httpx
import pytest

from knowledge_base.core.settings import ConfigurationError, load_settings
from tests.api_fixtures import ADMIN, STAFF, login


async def test_health_needs_no_login(api: httpx.AsyncClient) -> None:
    assert (await api.get("/healthz")).status_code == 200


async def test_routes_require_a_token(api: httpx.AsyncClient) -> None:
    response = await api.get("/questions")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401


async def test_a_correct_password_gives_a_working_token(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    response = await api.get("/staff/me", headers=headers)

    assert response.json()["username"] == STAFF[0]
    assert "password_hash" not in response.json()


async def test_a_wrong_password_is_refused_in_indonesian(api: httpx.AsyncClient) -> None:
    response = await api.post("/auth/token", data={"username": STAFF[0], "password": "salah"})

    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Nama pengguna atau kata sandi salah."


async def test_repeated_failed_logins_are_throttled(api: httpx.AsyncClient) -> None:
    for _ in range(5):
        await api.post("/auth/token", data={"username": STAFF[0], "password": "salah"})

    response = await api.post("/auth/token", data={"username": STAFF[0], "password": STAFF[1]})

    assert response.status_code == 429


async def test_a_forged_token_is_refused(api: httpx.AsyncClient) -> None:
    response = await api.get("/staff/me", headers={"Authorization": "Bearer abc.def.ghi"})

    assert response.status_code == 401


async def test_only_admins_manage_staff(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    response = await api.get("/staff", headers=headers)

    assert response.status_code == 403


async def test_an_admin_creates_staff_who_can_sign_in(api: httpx.AsyncClient) -> None:
    headers = await login(api, *ADMIN)
    body = {"username": "baru", "password": "kata-sandi-baru-1", "role": "staff"}

    created = await api.post("/staff", json=body, headers=headers)

    assert created.status_code == 201
    assert await login(api, "baru", "kata-sandi-baru-1")


async def test_deactivation_revokes_an_issued_token_at_once(api: httpx.AsyncClient) -> None:
    admin = await login(api, *ADMIN)
    staff = await login(api, *STAFF)
    staff_id = (await api.get("/staff/me", headers=staff)).json()["id"]

    await api.post(f"/staff/{staff_id}/deactivate", headers=admin)

    assert (await api.get("/staff/me", headers=staff)).status_code == 401


async def test_validation_errors_name_the_field(api: httpx.AsyncClient) -> None:
    headers = await login(api, *ADMIN)

    response = await api.post("/staff", json={"username": "x", "password": "p"}, headers=headers)

    assert response.status_code == 422
    assert {"username", "password"} <= set(response.json()["error"]["fields"])


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_settings(environment="production")


async def test_the_staff_list_is_paginated(api: httpx.AsyncClient) -> None:
    headers = await login(api, *ADMIN)

    page = (await api.get("/staff?limit=1", headers=headers)).json()

    assert page["total"] == 2
    assert len(page["items"]) == 1
