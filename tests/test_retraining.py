"""Publishing retrains the ranking model in the background; the new model is swapped in live."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.app import create_app
from knowledge_base.answering.loader import EngineCache
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.content_files import DEFAULT_CONTENT_DIR
from knowledge_base.knowledge.entries import import_path
from tests.api_fixtures import ADMIN, STAFF, login, make_accounts

NEW_ENTRY = {
    "id": "gudang-logistik-pemilu",
    "category": "tahapan",
    "question": "Di mana gudang logistik pemilu berada?",
    "phrasings": [
        "gudang logistik kpu dimana",
        "logistik pemilu disimpan di gudang mana",
        "dima gudang logistik pemilu",
        "kotak suara disimpan di gudang mana",
        "lokasi gudang logistik kpu",
    ],
    "answer": "Logistik pemilu disimpan di gudang KPU kabupaten/kota yang dijaga.",
    "legal_source": "PKPU 14/2023",
    "source_url": None,
    "reviewed": "2026-11-29",
    "dynamic": None,
    "status": "draft",
}
ASKED = "gudang logistik kpu dimana"


@pytest_asyncio.fixture
async def office_api(
    database_url: str, engine: Engine, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, EngineCache]]:
    """The staff API over the curated content, retraining in the background."""
    make_accounts(engine)
    with Session(engine) as session:
        import_path(session, DEFAULT_CONTENT_DIR)
        session.commit()
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        cache_dir=tmp_path / "cache",
        retrain_in_background=True,
    )
    cache = EngineCache(settings, engine)
    app = create_app(settings, engine, engine_cache=cache)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        yield client, cache


async def _test(api: httpx.AsyncClient, headers: dict, question: str) -> dict:
    response = await api.post("/kb/test", json={"question": question}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _publish_new_entry(api: httpx.AsyncClient) -> None:
    writer, publisher = await login(api, *STAFF), await login(api, *ADMIN)
    created = await api.post("/kb/entries", json=NEW_ENTRY, headers=writer)
    assert created.status_code == 201, created.text
    published = await api.put(
        f"/kb/entries/{NEW_ENTRY['id']}",
        json={**NEW_ENTRY, "status": "published"},
        headers={**publisher, "If-Match": created.headers["ETag"]},
    )
    assert published.status_code == 200, published.text


async def test_a_published_entry_is_answered_by_its_phrasing_after_retraining(
    office_api: tuple[httpx.AsyncClient, EngineCache],
) -> None:
    api, cache = office_api
    headers = await login(api, *STAFF)
    await _test(api, headers, "halo")  # builds the engine; no model yet, so one is trained
    assert cache.wait_for_training(120)
    await _publish_new_entry(api)
    assert cache.wait_for_training(120)
    await _test(api, headers, "halo")  # the version moved: rebuild, then retrain
    assert cache.wait_for_training(120)
    reply = await _test(api, headers, ASKED)
    assert (reply["decided_by"], reply["outcome"], reply["entry_id"]) == (
        "model",
        "answer",
        NEW_ENTRY["id"],
    )


async def test_until_retrained_a_new_entry_is_decided_by_the_score_rule(
    office_api: tuple[httpx.AsyncClient, EngineCache],
) -> None:
    api, cache = office_api
    headers = await login(api, *STAFF)
    await _test(api, headers, "halo")
    assert cache.wait_for_training(120)
    cache.settings = cache.settings.model_copy(update={"retrain_in_background": False})
    await _publish_new_entry(api)
    reply = await _test(api, headers, ASKED)
    assert reply["decided_by"] == "rule"
    assert reply["entry_id"] == NEW_ENTRY["id"] or reply["outcome"] != "answer"
