"""Staff edit the knowledge base over the API: every change is a revision that can be undone."""

from __future__ import annotations

import httpx

from tests.api_fixtures import ADMIN, STAFF, login

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
    "status": "draft",
}
PUBLISHED = {**ENTRY, "status": "published"}


async def _create(api: httpx.AsyncClient, headers: dict) -> httpx.Response:
    return await api.post("/kb/entries", json=ENTRY, headers=headers)


async def _publish(api: httpx.AsyncClient, headers: dict) -> httpx.Response:
    return await api.put(f"/kb/entries/{ENTRY['id']}", json=PUBLISHED, headers=headers)


async def test_an_entry_is_created_and_read_back(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    created = await _create(api, headers)

    assert created.status_code == 201
    assert (await api.get(f"/kb/entries/{ENTRY['id']}", headers=headers)).json() == ENTRY


async def test_an_invalid_entry_is_rejected_naming_the_field(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    response = await api.post(
        "/kb/entries", json={**ENTRY, "phrasings": ["a", "A"]}, headers=headers
    )

    assert response.status_code == 422
    assert "phrasings" in response.json()["error"]["fields"]


async def test_a_draft_may_have_one_phrasing_but_a_published_entry_needs_five(
    api: httpx.AsyncClient,
) -> None:
    headers = await login(api, *STAFF)
    draft = await api.post("/kb/entries", json={**ENTRY, "phrasings": ["x"]}, headers=headers)

    published = await api.put(
        f"/kb/entries/{ENTRY['id']}", json={**PUBLISHED, "phrasings": ["x"]}, headers=headers
    )

    assert draft.status_code == 201
    assert published.status_code == 422
    assert "at least 5" in published.json()["error"]["fields"]["phrasings"]


async def test_a_new_entry_cannot_be_published_by_its_writer_at_once(
    api: httpx.AsyncClient,
) -> None:
    headers = await login(api, *ADMIN)

    response = await api.post("/kb/entries", json=PUBLISHED, headers=headers)

    assert response.status_code == 403
    assert "draf" in response.json()["error"]["message"]


async def test_the_writer_of_a_draft_cannot_publish_it_but_a_colleague_can(
    api: httpx.AsyncClient,
) -> None:
    writer = await login(api, *STAFF)
    colleague = await login(api, *ADMIN)
    await _create(api, writer)

    by_writer = await _publish(api, writer)
    by_colleague = await _publish(api, colleague)

    assert by_writer.status_code == 403
    assert by_colleague.status_code == 200
    assert by_colleague.json()["status"] == "published"


async def test_publishing_cannot_change_the_text_in_the_same_save(api: httpx.AsyncClient) -> None:
    await _create(api, await login(api, *STAFF))
    colleague = await login(api, *ADMIN)

    response = await api.put(
        f"/kb/entries/{ENTRY['id']}",
        json={**PUBLISHED, "answer": "Jawaban lain yang belum diperiksa siapa pun."},
        headers=colleague,
    )

    assert response.status_code == 403


async def test_a_save_based_on_an_old_version_is_refused_as_a_conflict(
    api: httpx.AsyncClient,
) -> None:
    headers = await login(api, *STAFF)
    created = await _create(api, headers)
    opened = created.headers["ETag"]
    first = {**ENTRY, "answer": "Logistik disimpan di gudang KPU yang dijaga polisi."}
    second = {**ENTRY, "answer": "Logistik disimpan di gudang sewaan yang diawasi Bawaslu."}
    url = f"/kb/entries/{ENTRY['id']}"

    saved = await api.put(url, json=first, headers={**headers, "If-Match": opened})
    stale = await api.put(url, json=second, headers={**headers, "If-Match": opened})

    assert saved.status_code == 200
    assert saved.headers["ETag"] == '"2"'
    assert stale.status_code == 412
    assert "sudah diubah orang lain" in stale.json()["error"]["message"]
    assert (await api.get(url, headers=headers)).json()["answer"] == first["answer"]


async def test_a_staff_account_cannot_delete_an_entry(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    await _create(api, headers)

    response = await api.delete(f"/kb/entries/{ENTRY['id']}", headers=headers)

    assert response.status_code == 403
    assert (await api.get(f"/kb/entries/{ENTRY['id']}", headers=headers)).status_code == 200


async def test_a_staff_account_cannot_replace_stage_dates(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    stage = {
        "election": "Pemilu 2029",
        "stage": "Pemungutan suara",
        "start": "2029-02-14",
        "end": "2029-02-14",
    }

    response = await api.put("/kb/stages", json=[stage], headers=headers)

    assert response.status_code == 403
    assert (await api.get("/kb/stages", headers=headers)).json() == []


async def test_a_staff_account_cannot_import_yaml(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)

    response = await api.post(
        "/kb/import", content="[]", headers={**headers, "Content-Type": "text/plain"}
    )

    assert response.status_code == 403


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
    await _publish(api, await login(api, *ADMIN))

    result = (
        await api.post("/kb/test", json={"question": "gudang logistik pemilu dmn"}, headers=headers)
    ).json()

    assert result["outcome"] == "answer"
    assert result["entry_id"] == ENTRY["id"]
    assert result["candidates"][0]["entry_id"] == ENTRY["id"]


async def test_yaml_export_then_import_round_trips(api: httpx.AsyncClient) -> None:
    headers = await login(api, *ADMIN)
    await _create(api, headers)
    exported = (await api.get("/kb/export", headers=headers)).text

    report = await api.post(
        "/kb/import", content=exported, headers={**headers, "Content-Type": "text/plain"}
    )

    assert report.json() == {"created": 0, "updated": 0, "unchanged": 1}


async def test_a_bad_yaml_import_imports_nothing(api: httpx.AsyncClient) -> None:
    headers = await login(api, *ADMIN)
    bad = "- id: Bad Id\n  category: x\n"

    response = await api.post(
        "/kb/import", content=bad, headers={**headers, "Content-Type": "text/plain"}
    )

    assert response.status_code == 422
    assert (await api.get("/kb/entries", headers=headers)).json()["total"] == 0


async def test_deleting_an_entry_keeps_its_history(api: httpx.AsyncClient) -> None:
    headers = await login(api, *ADMIN)
    await _create(api, headers)

    deleted = await api.delete(f"/kb/entries/{ENTRY['id']}", headers=headers)

    assert deleted.status_code == 204
    assert (await api.get(f"/kb/entries/{ENTRY['id']}", headers=headers)).status_code == 404
    history = (await api.get(f"/kb/entries/{ENTRY['id']}/history", headers=headers)).json()
    assert history[-1]["changed_fields"] == ["deleted"]


async def test_an_upload_repeating_an_id_is_refused_with_its_line(api: httpx.AsyncClient) -> None:
    headers = await login(api, *ADMIN)
    await _create(api, headers)
    exported = (await api.get("/kb/export", headers=headers)).text

    response = await api.post(
        "/kb/import", content=exported + exported, headers={**headers, "Content-Type": "text/plain"}
    )

    assert response.status_code == 422
    assert "duplicate id" in response.json()["error"]["message"]
    assert "upload:" in response.json()["error"]["message"]
