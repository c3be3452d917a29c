"""Promoting a staff answer makes a draft for a colleague to publish, never a live entry."""

from __future__ import annotations

import httpx
from sqlalchemy.engine import Engine

from tests.api_fixtures import STAFF, login
from tests.outbox_fixtures import QUESTION, question_with_askers

NEW_ENTRY = {
    "slug": "pemusnahan-logistik",
    "category": "tahapan",
    "question": "Kapan logistik pemilu yang tersisa dimusnahkan?",
    "legal_source": "PKPU 14/2023",
}


async def _answered_and_promoted(
    api: httpx.AsyncClient, engine: Engine, answer: str
) -> tuple[dict, dict]:
    question_id = question_with_askers(engine, 3)
    headers = await login(api, *STAFF)
    await api.post(f"/questions/{question_id}/answer", json={"answer": answer}, headers=headers)
    promoted = await api.post(f"/questions/{question_id}/promote", json=NEW_ENTRY, headers=headers)
    entry = await api.get(f"/kb/entries/{NEW_ENTRY['slug']}", headers=headers)
    return promoted.json(), entry.json()


async def test_a_promoted_answer_becomes_a_draft_with_the_askers_questions_once(
    api: httpx.AsyncClient, engine: Engine
) -> None:
    _promoted, entry = await _answered_and_promoted(
        api, engine, "Logistik sisa dimusnahkan dengan berita acara setelah rekapitulasi."
    )

    assert entry["status"] == "draft"
    assert entry["phrasings"] == [QUESTION]


async def test_promoting_an_answer_naming_a_tps_warns_the_staff_member(
    api: httpx.AsyncClient, engine: Engine
) -> None:
    promoted, _entry = await _answered_and_promoted(
        api, engine, "Logistik di TPS 05 dimusnahkan besok oleh Pak Yusuf."
    )

    assert any("TPS 05" in warning for warning in promoted["warnings"])
    assert any("Pak Yusuf" in warning for warning in promoted["warnings"])
