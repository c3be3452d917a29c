"""Staff edit the knowledge base over the API: every change is a revision that can be undone."""

from __future__ import annotations

import httpx

from tests.api_fixtures import STAFF, login

ENTRY = {
    "id": "lokasi-gudang-logistik",
    "category": "tahapan",
    "question": "Di mana logistik pemilu disimpan?",
    "phrasings": [
        "logistik pemilu disimpan dmn",
        "gudang logistik kpu dimana",
        "kotak suara disimpan di mana setelah pemilu",
        "dima logistik pemilu disimpan",
        "tempat simpan logistik pemilu",
    ],
    "answer": "Logistik pemilu disimpan di gudang KPU kabupaten/kota yang dijaga.",
    "legal_source": "PKPU 14/2023",
    "source_url": None,
    "reviewed": "2026-11-29",
    "dynamic": None,
    "status": "published",
}


async def _create(api: httpx.AsyncClient, headers: dict) -> httpx.Response:
    return await api.post("/kb/entries", json=ENTRY, headers=headers)


async def test_an_entry_is_created_and_read_back(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    created = await _create(api, headers)

    assert created.status_code == 201
    assert (await api.get(f"/kb/entries/{ENTRY['id']}", headers=headers)).json() == ENTRY


async def test_an_invalid_entry_is_rejected_naming_the_field(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    response = await api.post("/kb/entries", json={**ENTRY, "phrasings": ["x"]}, headers=headers)

    assert response.status_code == 422
    assert "phrasings" in response.json()["error"]["fields"]


async def test_every_edit_is_a_revision_and_can_be_rolled_back(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    await _create(api, headers)
    edited = {**ENTRY, "answer": "Logistik disimpan di gudang sewaan KPU yang diawasi Bawaslu."}
    await api.put(f"/kb/entries/{ENTRY['id']}", json=edited, headers=headers)

    history = (await api.get(f"/kb/entries/{ENTRY['id']}/history", headers=headers)).json()
    rolled = await api.post(f"/kb/entries/{ENTRY['id']}/rollback/1", headers=headers)

    assert [h["changed_fields"] for h in history] == [["created"], ["answer"]]
    assert history[1]["changed_by"] == STAFF[0]
    assert rolled.json()["answer"] == ENTRY["answer"]


async def test_the_decision_test_shows_outcome_and_candidates(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    await _create(api, headers)

    result = (
        await api.post("/kb/test", json={"question": "gudang logistik pemilu dmn"}, headers=headers)
    ).json()

    assert result["outcome"] == "answer"
    assert result["entry_id"] == ENTRY["id"]
    assert result["candidates"][0]["entry_id"] == ENTRY["id"]


async def test_yaml_export_then_import_round_trips(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    await _create(api, headers)
    exported = (await api.get("/kb/export", headers=headers)).text

    report = await api.post(
        "/kb/import", content=exported, headers={**headers, "Content-Type": "text/plain"}
    )

    assert report.json() == {"created": 0, "updated": 0, "unchanged": 1}


async def test_a_bad_yaml_import_imports_nothing(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    bad = "- id: Bad Id\n  category: x\n"

    response = await api.post(
        "/kb/import", content=bad, headers={**headers, "Content-Type": "text/plain"}
    )

    assert response.status_code == 422
    assert (await api.get("/kb/entries", headers=headers)).json()["total"] == 0


async def test_deleting_an_entry_keeps_its_history(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    await _create(api, headers)

    deleted = await api.delete(f"/kb/entries/{ENTRY['id']}", headers=headers)

    assert deleted.status_code == 204
    assert (await api.get(f"/kb/entries/{ENTRY['id']}", headers=headers)).status_code == 404
    history = (await api.get(f"/kb/entries/{ENTRY['id']}/history", headers=headers)).json()
    assert history[-1]["changed_fields"] == ["deleted"]


async def test_an_upload_repeating_an_id_is_refused_with_its_line(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    await _create(api, headers)
    exported = (await api.get("/kb/export", headers=headers)).text

    response = await api.post(
        "/kb/import", content=exported + exported, headers={**headers, "Content-Type": "text/plain"}
    )

    assert response.status_code == 422
    assert "duplicate id" in response.json()["error"]["message"]
    assert "upload:" in response.json()["error"]["message"]
