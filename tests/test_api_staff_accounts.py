"""Account management through the staff API: a new password set by an admin, reactivation,
the rules (not on your own account, a username only once) and the audit trail; every admin
route refused to a staff account."""

from __future__ import annotations

import httpx
import pytest

from tests.api_fixtures import ADMIN, STAFF, login
from tests.console.forms import csrf_token

NEW_PASSWORD = "kata-sandi-baru-456"


async def _staff_id(api: httpx.AsyncClient, credentials: tuple[str, str]) -> int:
    headers = await login(api, *credentials)
    return (await api.get("/staff/me", headers=headers)).json()["id"]


async def test_an_admin_sets_a_new_password_and_only_that_one_signs_in(
    api: httpx.AsyncClient,
) -> None:
    admin = await login(api, *ADMIN)
    staff_id = await _staff_id(api, STAFF)

    response = await api.post(
        f"/staff/{staff_id}/password", json={"password": NEW_PASSWORD}, headers=admin
    )

    assert response.status_code == 200
    assert "password_hash" not in response.json()
    old = await api.post("/auth/token", data={"username": STAFF[0], "password": STAFF[1]})
    assert old.status_code == 401
    assert await login(api, STAFF[0], NEW_PASSWORD)


async def test_a_password_set_through_the_api_ends_that_accounts_console_sessions(
    api: httpx.AsyncClient,
) -> None:
    form = {"username": STAFF[0], "password": STAFF[1]}
    form["csrftoken"] = csrf_token((await api.get("/staf/")).text)
    assert (await api.post("/staf/masuk", data=form)).status_code == 303
    assert (await api.get("/staf/kata-sandi")).status_code == 200
    admin = await login(api, *ADMIN)
    staff_id = await _staff_id(api, STAFF)

    await api.post(f"/staff/{staff_id}/password", json={"password": NEW_PASSWORD}, headers=admin)

    assert (await api.get("/staf/kata-sandi")).status_code == 303


async def test_a_new_password_shorter_than_ten_characters_is_refused(
    api: httpx.AsyncClient,
) -> None:
    admin = await login(api, *ADMIN)
    staff_id = await _staff_id(api, STAFF)

    response = await api.post(
        f"/staff/{staff_id}/password", json={"password": "pendek"}, headers=admin
    )

    assert response.status_code == 422
    assert "password" in response.json()["error"]["fields"]
    assert await login(api, *STAFF)


async def test_an_admin_cannot_set_their_own_password_without_the_current_one(
    api: httpx.AsyncClient,
) -> None:
    admin = await login(api, *ADMIN)
    admin_id = await _staff_id(api, ADMIN)

    response = await api.post(
        f"/staff/{admin_id}/password", json={"password": NEW_PASSWORD}, headers=admin
    )

    assert response.status_code == 400
    assert "Ubah kata sandi" in response.json()["error"]["message"]
    assert await login(api, *ADMIN)


async def test_a_reactivated_account_signs_in_again(api: httpx.AsyncClient) -> None:
    admin = await login(api, *ADMIN)
    staff_id = await _staff_id(api, STAFF)
    await api.post(f"/staff/{staff_id}/deactivate", headers=admin)

    response = await api.post(f"/staff/{staff_id}/reactivate", headers=admin)

    assert response.status_code == 200
    assert response.json()["is_active"] is True
    assert await login(api, *STAFF)


async def test_an_admin_cannot_deactivate_their_own_account(api: httpx.AsyncClient) -> None:
    admin = await login(api, *ADMIN)
    admin_id = await _staff_id(api, ADMIN)

    response = await api.post(f"/staff/{admin_id}/deactivate", headers=admin)

    assert response.status_code == 400
    assert (await api.get("/staff/me", headers=admin)).status_code == 200


async def test_a_username_in_use_is_refused_with_409(api: httpx.AsyncClient) -> None:
    admin = await login(api, *ADMIN)
    body = {"username": STAFF[0], "password": NEW_PASSWORD, "role": "staff"}

    response = await api.post("/staff", json=body, headers=admin)

    assert response.status_code == 409
    assert response.json()["error"]["message"].startswith("Nama pengguna ini sudah dipakai.")


async def test_a_new_account_is_staff_unless_the_admin_says_admin(api: httpx.AsyncClient) -> None:
    admin = await login(api, *ADMIN)

    created = await api.post(
        "/staff", json={"username": "baru", "password": NEW_PASSWORD}, headers=admin
    )

    assert created.json()["role"] == "staff"


async def test_account_changes_are_in_the_audit_log_with_the_admin_who_made_them(
    api: httpx.AsyncClient,
) -> None:
    admin = await login(api, *ADMIN)
    staff_id = await _staff_id(api, STAFF)
    await api.post(f"/staff/{staff_id}/password", json={"password": NEW_PASSWORD}, headers=admin)
    await api.post(f"/staff/{staff_id}/deactivate", headers=admin)
    await api.post(f"/staff/{staff_id}/reactivate", headers=admin)

    log = (await api.get("/audit", headers=admin)).json()["items"]

    changes = [(e["action"], e["staff"], e["resource_id"]) for e in log[:3]]
    assert changes == [
        ("staff.reactivate", ADMIN[0], str(staff_id)),
        ("staff.deactivate", ADMIN[0], str(staff_id)),
        ("staff.password_change", ADMIN[0], str(staff_id)),
    ]


ADMIN_ROUTES = [
    ("GET", "/staff", None),
    ("POST", "/staff", {"username": "baru1", "password": NEW_PASSWORD, "role": "admin"}),
    ("POST", "/staff/{admin}/deactivate", None),
    ("POST", "/staff/{admin}/reactivate", None),
    ("POST", "/staff/{admin}/password", {"password": NEW_PASSWORD}),
    ("GET", "/audit", None),
]


@pytest.mark.parametrize(
    ("method", "path", "body"), ADMIN_ROUTES, ids=[f"{m} {p}" for m, p, _ in ADMIN_ROUTES]
)
async def test_a_staff_account_is_refused_every_account_route_for_admins(
    api: httpx.AsyncClient, method: str, path: str, body: dict | None
) -> None:
    staff = await login(api, *STAFF)
    admin_id = await _staff_id(api, ADMIN)

    response = await api.request(method, path.format(admin=admin_id), json=body, headers=staff)

    assert response.status_code == 403
    assert await login(api, *ADMIN)
