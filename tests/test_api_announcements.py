"""Staff write announcements; all-subscriber ones need a second staff member's approval."""

from __future__ import annotations

from datetime import date

import httpx
from sqlalchemy.engine import Engine

from knowledge_base.announcements.delivery import start_broadcast
from knowledge_base.conversations.models import Chat
from knowledge_base.core.db import session_scope
from knowledge_base.knowledge.models import ElectionStage
from tests.api_fixtures import ADMIN, STAFF, login

BODY = {
    "title": "Masa tenang",
    "body": "Mulai <b>besok</b> tidak ada kampanye &amp; alat peraga diturunkan.",
    "audience_areas": [],
    "send_at": "2029-02-11T08:00:00+07:00",
}


async def _create(api: httpx.AsyncClient, headers: dict, **changes) -> dict:
    response = await api.post("/announcements", json={**BODY, **changes}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_body_telegram_would_refuse_is_rejected_with_the_reason(api) -> None:
    headers = await login(api, *STAFF)

    response = await api.post(
        "/announcements", json={**BODY, "body": "<script>x</script> a < b"}, headers=headers
    )

    assert response.status_code == 422
    assert "script" in response.json()["error"]["fields"]["body"]


async def test_an_announcement_to_everyone_waits_for_a_second_staff_member(api) -> None:
    author = await login(api, *STAFF)
    other = await login(api, *ADMIN)
    item = await _create(api, author)

    submitted = (await api.post(f"/announcements/{item['id']}/submit", headers=author)).json()
    by_author = await api.post(f"/announcements/{item['id']}/approve", headers=author)
    by_other = await api.post(f"/announcements/{item['id']}/approve", headers=other)

    assert submitted["status"] == "awaiting_approval"
    assert by_author.status_code == 409
    assert by_other.json()["status"] == "scheduled"
    audit = (await api.get("/audit", headers=other)).json()["items"]
    assert audit[0]["action"] == "announcement.approve"


async def test_an_announcement_to_some_kecamatan_is_scheduled_directly(api) -> None:
    headers = await login(api, *STAFF)
    item = await _create(api, headers, audience_areas=["Talawi"])

    submitted = (await api.post(f"/announcements/{item['id']}/submit", headers=headers)).json()

    assert submitted["status"] == "scheduled"


async def test_editing_sends_it_back_to_draft(api) -> None:
    headers = await login(api, *STAFF)
    item = await _create(api, headers, audience_areas=["Talawi"])
    await api.post(f"/announcements/{item['id']}/submit", headers=headers)

    edited = await api.put(
        f"/announcements/{item['id']}",
        json={**BODY, "title": "Masa tenang (ralat)"},
        headers=headers,
    )

    assert edited.json()["status"] == "draft"


async def test_a_stage_relative_time_follows_the_stage_dates(api, engine: Engine) -> None:
    headers = await login(api, *STAFF)
    with session_scope(engine) as session:
        stage = ElectionStage(
            election="Pemilu 2029",
            stage="Masa tenang",
            starts_on=date(2029, 2, 11),
            ends_on=date(2029, 2, 13),
        )
        session.add(stage)
        session.flush()
        stage_id = stage.id
    body = {**BODY, "send_at": None, "stage_id": stage_id, "stage_offset_minutes": -2 * 24 * 60}
    item = await _create(api, headers, **body)
    with session_scope(engine) as session:
        session.get(ElectionStage, stage_id).starts_on = date(2029, 2, 20)

    moved = (await api.get(f"/announcements/{item['id']}", headers=headers)).json()

    assert item["scheduled_for"].startswith("2029-02-09T08:00:00")
    assert moved["scheduled_for"].startswith("2029-02-18T08:00:00")


async def test_a_cancelled_announcement_cannot_be_approved(api) -> None:
    author = await login(api, *STAFF)
    other = await login(api, *ADMIN)
    item = await _create(api, author)
    await api.post(f"/announcements/{item['id']}/submit", headers=author)

    await api.post(f"/announcements/{item['id']}/cancel", headers=author)
    response = await api.post(f"/announcements/{item['id']}/approve", headers=other)

    assert response.status_code == 409


async def test_exactly_one_of_time_or_stage_is_required(api) -> None:
    headers = await login(api, *STAFF)

    response = await api.post("/announcements", json={**BODY, "send_at": None}, headers=headers)

    assert response.status_code == 422


async def test_staff_stop_and_resume_a_broadcast_from_the_api(api, engine: Engine) -> None:
    admin = await login(api, *ADMIN)
    headers = await login(api, *STAFF)
    item = await _create(api, headers, audience_areas=["Talawi"])
    with session_scope(engine) as session:
        session.add(Chat(telegram_chat_id=777, subscribed=True, subscription_areas=["Talawi"]))
        start_broadcast(session, announcement_id=item["id"])

    stopped = (await api.post(f"/announcements/{item['id']}/cancel", headers=headers)).json()
    resumed = (await api.post(f"/announcements/{item['id']}/resume", headers=headers)).json()

    assert (stopped["status"], stopped["delivery"]["cancelled"]) == ("cancelled", 1)
    assert (resumed["status"], resumed["delivery"]["pending"]) == ("sending", 1)
    audit = (await api.get("/audit", headers=admin)).json()["items"]
    assert audit[0]["action"] == "announcement.resume"


async def test_resuming_a_draft_is_refused(api) -> None:
    headers = await login(api, *STAFF)
    item = await _create(api, headers)

    response = await api.post(f"/announcements/{item['id']}/resume", headers=headers)

    assert response.status_code == 409
    assert "dilanjutkan" in response.json()["error"]["message"]
