"""Point 1: an all-subscriber announcement is approved by someone who never touched its text."""

from __future__ import annotations

import httpx
from sqlalchemy.engine import Engine

from knowledge_base.core.db import session_scope
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole
from tests.api_fixtures import ADMIN, STAFF, login

BODY = {
    "title": "Masa tenang",
    "body": "Mulai <b>besok</b> tidak ada kampanye.",
    "audience_areas": [],
    "send_at": "2029-02-11T08:00:00+07:00",
}
THIRD = ("ppid2", "kata-sandi-ppid-2")


async def _written_by_one_edited_by_another(api: httpx.AsyncClient) -> tuple[int, dict]:
    writer = await login(api, *STAFF)
    checker = await login(api, *ADMIN)
    created = await api.post("/announcements", json=BODY, headers=writer)
    item_id = created.json()["id"]
    await api.post(f"/announcements/{item_id}/submit", headers=writer)
    changed = {**BODY, "body": "Teks <b>milik pemeriksa</b> sendiri."}
    edited = await api.put(f"/announcements/{item_id}", json=changed, headers=checker)
    assert edited.json()["status"] == "draft"
    await api.post(f"/announcements/{item_id}/submit", headers=checker)
    return item_id, checker


async def test_the_staff_member_who_changed_the_text_cannot_approve_it(api) -> None:
    item_id, checker = await _written_by_one_edited_by_another(api)

    response = await api.post(f"/announcements/{item_id}/approve", headers=checker)

    assert response.status_code == 409
    item = (await api.get(f"/announcements/{item_id}", headers=checker)).json()
    assert item["status"] == "awaiting_approval"


async def test_the_original_writer_cannot_approve_after_someone_else_edited(api) -> None:
    item_id, _checker = await _written_by_one_edited_by_another(api)
    writer = await login(api, *STAFF)

    response = await api.post(f"/announcements/{item_id}/approve", headers=writer)

    assert response.status_code == 409


async def test_a_third_staff_member_who_never_edited_can_approve(api, engine: Engine) -> None:
    with session_scope(engine) as session:
        create_staff(session, username=THIRD[0], password=THIRD[1], role=StaffRole.STAFF)
    item_id, _checker = await _written_by_one_edited_by_another(api)
    third = await login(api, *THIRD)

    response = await api.post(f"/announcements/{item_id}/approve", headers=third)

    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    assert len(set(response.json()["editor_ids"])) == 2
