"""Candidate phrasings over the staff API: the pending list, accepting into the entry (a new
knowledge version), rejecting, and the errors in the one error shape."""

from __future__ import annotations

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.knowledge.entries import knowledge_version
from tests.api_fixtures import ADMIN, STAFF, login
from tests.learning_fixtures import PHRASINGS, QUESTION, SLUG, add_candidate, store_entry

WORDING = "logistik pemilu habis pemilu ditaruh dimana"


def _version(engine: Engine) -> int:
    with Session(engine) as session:
        return knowledge_version(session)


async def test_pending_candidates_are_listed_with_their_entry(
    api: httpx.AsyncClient, engine: Engine
) -> None:
    store_entry(engine)
    candidate_id = add_candidate(engine, WORDING)
    headers = await login(api, *STAFF)

    response = await api.get("/kb/candidates", params={"status": "pending"}, headers=headers)

    assert response.status_code == 200
    body = response.json()
    assert (body["total"], len(body["items"])) == (1, 1)
    item = body["items"][0]
    assert {k: item[k] for k in ("id", "entry_id", "entry_question", "text", "source")} == {
        "id": candidate_id,
        "entry_id": SLUG,
        "entry_question": QUESTION,
        "text": WORDING,
        "source": "suggestion_tap",
    }
    assert item["times_seen"] == 1 and item["created_at"]


async def test_accepting_adds_the_phrasing_and_bumps_the_knowledge_version(
    api: httpx.AsyncClient, engine: Engine
) -> None:
    store_entry(engine)
    candidate_id = add_candidate(engine, WORDING)
    version = _version(engine)
    headers = await login(api, *STAFF)

    response = await api.post(f"/kb/candidates/{candidate_id}/accept", headers=headers)

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    entry = (await api.get(f"/kb/entries/{SLUG}", headers=headers)).json()
    assert entry["phrasings"] == [*PHRASINGS, WORDING]
    assert _version(engine) == version + 1
    history = (await api.get(f"/kb/entries/{SLUG}/history", headers=headers)).json()
    assert (history[-1]["changed_by"], history[-1]["changed_fields"]) == ("ppid1", ["phrasings"])


async def test_rejecting_leaves_the_entry_as_it_was(api: httpx.AsyncClient, engine: Engine) -> None:
    store_entry(engine)
    candidate_id = add_candidate(engine, WORDING)
    headers = await login(api, *STAFF)

    response = await api.post(f"/kb/candidates/{candidate_id}/reject", headers=headers)

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    entry = (await api.get(f"/kb/entries/{SLUG}", headers=headers)).json()
    assert entry["phrasings"] == PHRASINGS
    pending = (await api.get("/kb/candidates", headers=headers)).json()
    assert pending["items"] == []
    rejected = (await api.get("/kb/candidates?status=rejected", headers=headers)).json()
    assert [item["id"] for item in rejected["items"]] == [candidate_id]


async def test_each_decision_is_in_the_audit_log(api: httpx.AsyncClient, engine: Engine) -> None:
    store_entry(engine)
    accepted, rejected = add_candidate(engine, WORDING), add_candidate(engine, "gudang kpu dmn")
    headers = await login(api, *STAFF)
    await api.post(f"/kb/candidates/{accepted}/accept", headers=headers)
    await api.post(f"/kb/candidates/{rejected}/reject", headers=headers)

    audit = (await api.get("/audit", headers=await login(api, *ADMIN))).json()

    decisions = [
        (a["action"], a["resource_id"]) for a in audit["items"] if "candidate" in a["action"]
    ]
    assert sorted(decisions) == [
        ("kb.candidate.accept", str(accepted)),
        ("kb.candidate.reject", str(rejected)),
    ]


async def test_an_unknown_candidate_is_a_404_in_the_error_shape(
    api: httpx.AsyncClient, engine: Engine
) -> None:
    headers = await login(api, *STAFF)

    response = await api.post("/kb/candidates/999/accept", headers=headers)

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": 404,
        "message": "Usulan frasa tidak ditemukan.",
        "fields": {},
    }


async def test_deciding_a_decided_candidate_is_a_409_in_the_error_shape(
    api: httpx.AsyncClient, engine: Engine
) -> None:
    store_entry(engine)
    candidate_id = add_candidate(engine, WORDING)
    headers = await login(api, *STAFF)
    await api.post(f"/kb/candidates/{candidate_id}/accept", headers=headers)

    response = await api.post(f"/kb/candidates/{candidate_id}/reject", headers=headers)

    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Usulan frasa ini sudah diterima."
    entry = (await api.get(f"/kb/entries/{SLUG}", headers=headers)).json()
    assert entry["phrasings"] == [*PHRASINGS, WORDING]


async def test_an_unknown_status_is_a_422_naming_the_field(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    response = await api.get("/kb/candidates", params={"status": "semua"}, headers=headers)

    assert response.status_code == 422
    assert "status" in response.json()["error"]["fields"]
