"""Every action of the Staf page is refused to a staff account, even when posted by hand with
a valid CSRF token, and changes nothing; an admin cannot switch their own account off."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import Session, select

from knowledge_base.staff.models import StaffUser
from tests.console.forms import csrf_token, log_in_over_http
from tests.console.live import LiveConsole

NEW_ACCOUNT = {"full_name": "Orang Baru", "username": "orangbaru", "role": "admin"}
PASSWORDS = {"password": "kata-sandi-baru-789", "repeated": "kata-sandi-baru-789"}
ACTIONS = [
    ("GET", "/staf/staf", None),
    ("GET", "/staf/staf/baru", None),
    ("POST", "/staf/staf/baru", {**NEW_ACCOUNT, **PASSWORDS}),
    ("GET", "/staf/staf/{target}/kata-sandi", None),
    ("POST", "/staf/staf/{target}/kata-sandi", PASSWORDS),
    ("POST", "/staf/staf/{target}/nonaktifkan", {}),
    ("POST", "/staf/staf/{target}/aktifkan", {}),
]


def _accounts(live: LiveConsole) -> list[tuple[str, str, bool]]:
    with Session(live.engine) as session:
        rows = session.exec(select(StaffUser).order_by(StaffUser.id)).all()
        return [(row.username, row.password_hash, row.is_active) for row in rows]


@pytest.mark.parametrize(
    ("method", "path", "form"), ACTIONS, ids=[f"{m} {p}" for m, p, _ in ACTIONS]
)
def test_a_staff_account_is_refused_every_action_of_the_staff_page(
    live_console: LiveConsole, http: httpx.Client, method: str, path: str, form: dict | None
) -> None:
    target = live_console.create_account()
    log_in_over_http(http, live_console.create_account("staff"))
    token = csrf_token(http.get("/staf/kata-sandi").text)
    before = _accounts(live_console)

    response = http.request(
        method,
        path.format(target=target.id),
        data=None if form is None else {**form, "csrftoken": token},
    )

    assert response.status_code == 403
    assert "hanya dapat dibuka oleh admin" in response.text
    assert _accounts(live_console) == before


def test_an_admin_cannot_deactivate_their_own_account(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    admin = live_console.create_account("admin")
    log_in_over_http(http, admin)
    token = csrf_token(http.get("/staf/staf").text)

    response = http.post(f"/staf/staf/{admin.id}/nonaktifkan", data={"csrftoken": token})

    assert response.status_code == 303
    assert "tidak dapat menonaktifkan akun sendiri" in http.get("/staf/staf").text
    assert live_console.staff(admin).is_active
