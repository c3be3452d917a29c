"""Acceptance: an unknown question goes to staff, the reply reaches the citizen in Telegram
(through the outbox, as `tanyapemilu serve` runs it), and once promoted the bot answers a
paraphrase by itself."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from sqlmodel import Session, select

from admin_api.app import create_app
from bot.application import build_application
from bot.flood import FloodGuard
from bot.messenger import TelegramMessenger
from bot.outbox_transport import build_outbox_sender
from bot.services import RELOAD_CHECK_SECONDS, BotServices
from knowledge_base.conversations.models import Chat
from knowledge_base.core.db import create_db_engine
from knowledge_base.knowledge.entries import knowledge_version
from tests.api_fixtures import ADMIN, STAFF, login, make_accounts
from tests.bot_fixtures import OFFICE_PHONE, bot_settings, citizen
from tests.telegram.fake_server import Fault
from tests.telegram.harness import start_polling, stop_polling

UNKNOWN = "bagaimana nasib logistik pemilu yang tersisa setelah pemilihan selesai"
ANSWER = (
    "Logistik yang tersisa disimpan di gudang KPU kabupaten/kota. Surat suara tidak terpakai "
    "dimusnahkan dengan berita acara setelah tahapan selesai."
)


@pytest_asyncio.fixture
async def office(
    tmp_path: Path, seeded_template: Path, shared_engine, fake_telegram
) -> AsyncIterator:
    """Bot and staff API sharing one database, as `tanyapemilu serve` runs them."""
    fake, base_url = fake_telegram
    shutil.copyfile(seeded_template, tmp_path / "bot.db")
    settings = bot_settings(tmp_path, base_url)
    db = create_db_engine(settings.database_url)
    make_accounts(db)
    with Session(db) as session:
        version = knowledge_version(session)
    services = BotServices(
        settings=settings,
        db=db,
        engine=shared_engine,
        flood=FloodGuard(8, 10.0),
        kb_version=version,
    )
    app = build_application(services)
    await start_polling(app)
    outbox = build_outbox_sender(settings, db)
    await outbox.start()
    api = create_app(settings, db, messenger=TelegramMessenger(app.bot))
    api.state.wake_outbox = outbox.wake  # until create_app takes it (the composition root's)
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        yield services, fake, client
    await outbox.stop()
    await stop_polling(app)
    db.dispose()


async def delivered(api: httpx.AsyncClient, question_id: int, headers: dict) -> dict:
    """The question once no message to its askers is pending or being sent."""
    for _ in range(200):
        detail = (await api.get(f"/questions/{question_id}", headers=headers)).json()
        if not detail["delivery"]["pending"] and not detail["delivery"]["sending"]:
            return detail
        await asyncio.sleep(0.05)
    raise AssertionError(f"still delivering: {detail['delivery']}")


async def _until_built_from(services: BotServices, version: int) -> None:
    """Until the bot's engine is built from content version ``version`` or newer."""
    deadline = asyncio.get_running_loop().time() + RELOAD_CHECK_SECONDS + 10
    while (services.engines.version or 0) < version:
        assert asyncio.get_running_loop().time() < deadline, "the engine was not rebuilt"
        await asyncio.sleep(0.05)


async def test_unknown_question_is_answered_by_staff_then_learned(office) -> None:
    _services, fake, api = office
    first, second = citizen(fake, 9101), citizen(fake, 9102)
    headers = await login(api, *STAFF)

    handoff = await first.ask(UNKNOWN)
    assert "petugas" in handoff.params["text"]

    listing = (await api.get("/questions?status=open", headers=headers)).json()
    assert listing["total"] == 1
    question_id = listing["items"][0]["id"]

    answered = await api.post(
        f"/questions/{question_id}/answer", json={"answer": ANSWER}, headers=headers
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "answered"
    reply = (await first.expect(1, method="sendMessage"))[0]
    assert "gudang KPU" in reply.params["text"]
    detail = await delivered(api, question_id, headers)
    assert [(a["reply_status"], a["reply_purpose"]) for a in detail["askers"]] == [
        ("sent", "answer")
    ]

    promoted = await api.post(
        f"/questions/{question_id}/promote",
        json={
            "slug": "logistik-setelah-pemilu",
            "category": "tahapan",
            "question": "Bagaimana nasib logistik pemilu setelah pemilihan selesai?",
            "legal_source": "PKPU 14/2023",
        },
        headers=headers,
    )
    assert promoted.status_code == 200
    draft_url = "/kb/entries/logistik-setelah-pemilu"
    draft = (await api.get(draft_url, headers=headers)).json()
    assert draft["status"] == "draft"
    assert not any("(" in p for p in draft["phrasings"])  # no "… (3)" filler
    completed = {
        **draft,
        "phrasings": [
            *draft["phrasings"],
            "logistik pemilu sisa diapakan",
            "surat suara sisa dimusnahkan kapan",
            "nasib kotak suara setelah pemilu",
            "logistik pemilu setelah pemungutan suara",
        ],
    }
    assert (await api.put(draft_url, json=completed, headers=headers)).status_code == 200
    own = await api.put(draft_url, json={**completed, "status": "published"}, headers=headers)
    assert own.status_code == 403  # the promoter may not publish their own draft
    colleague = await login(api, *ADMIN)
    published = await api.put(
        draft_url, json={**completed, "status": "published"}, headers=colleague
    )
    assert published.status_code == 200
    with Session(_services.db) as session:
        published_version = knowledge_version(session)

    await _until_built_from(_services, published_version)  # the bot notices the new KB version
    direct = await second.ask("logistik pemilu yg tersisa setelah pemilihan selesai gmn nasibnya")
    assert "gudang KPU" in direct.params["text"]
    assert "PKPU 14/2023" in direct.params["text"]


async def test_a_citizen_who_blocked_the_bot_is_recorded_as_blocked(office) -> None:
    _services, fake, api = office
    warga = citizen(fake, 9201)
    headers = await login(api, *STAFF)
    await warga.ask(UNKNOWN)
    question_id = (await api.get("/questions", headers=headers)).json()["items"][0]["id"]
    fake.fail_chat(9201, Fault(403, "Forbidden: bot was blocked by the user"))

    await api.post(f"/questions/{question_id}/answer", json={"answer": ANSWER}, headers=headers)

    detail = await delivered(api, question_id, headers)
    assert [a["reply_status"] for a in detail["askers"]] == ["blocked"]
    with Session(_services.db) as session:
        chat = session.exec(select(Chat).where(Chat.telegram_chat_id == 9201)).one()
    assert chat.blocked and not chat.subscribed


async def test_a_second_answer_to_a_closed_question_is_refused_and_sends_nothing(office) -> None:
    _services, fake, api = office
    warga = citizen(fake, 9251)
    headers = await login(api, *STAFF)
    await warga.ask(UNKNOWN)
    question_id = (await api.get("/questions", headers=headers)).json()["items"][0]["id"]
    await api.post(f"/questions/{question_id}/answer", json={"answer": ANSWER}, headers=headers)

    again = await api.post(
        f"/questions/{question_id}/answer", json={"answer": "Jawaban lain."}, headers=headers
    )

    assert again.status_code == 409
    await delivered(api, question_id, headers)
    await warga.expect(1, method="sendMessage")
    await warga.quiet(0.3)


async def test_a_dismissed_question_leaves_the_open_list(office) -> None:
    _services, fake, api = office
    headers = await login(api, *STAFF)
    await citizen(fake, 9301).ask(UNKNOWN)
    question_id = (await api.get("/questions", headers=headers)).json()["items"][0]["id"]

    dismissed = await api.post(
        f"/questions/{question_id}/dismiss", json={"reason": "Bukan wewenang KPU"}, headers=headers
    )

    assert dismissed.json()["status"] == "dismissed"
    assert (await api.get("/questions?status=open", headers=headers)).json()["total"] == 0


async def test_the_askers_of_a_dismissed_question_are_told_the_reason(office) -> None:
    _services, fake, api = office
    headers = await login(api, *STAFF)
    first, second = citizen(fake, 9311), citizen(fake, 9312)
    await first.ask(UNKNOWN)
    await second.ask(UNKNOWN + " ya")
    question_id = (await api.get("/questions", headers=headers)).json()["items"][0]["id"]

    await api.post(
        f"/questions/{question_id}/dismiss",
        json={"reason": "Pertanyaan ini menjadi wewenang Bawaslu."},
        headers=headers,
    )

    for warga in (first, second):
        notice = (await warga.expect(1, method="sendMessage"))[0].params["text"]
        assert "wewenang Bawaslu" in notice
        assert "bertanya kembali" in notice
        assert OFFICE_PHONE in notice
    detail = await delivered(api, question_id, headers)
    assert [(a["reply_status"], a["reply_purpose"]) for a in detail["askers"]] == [
        ("sent", "dismissal"),
        ("sent", "dismissal"),
    ]


async def test_stats_count_questions_escalations_and_staff_response(office) -> None:
    _services, fake, api = office
    headers = await login(api, *STAFF)
    warga = citizen(fake, 9401)
    await warga.ask("gmn cara cek dpt online")
    await warga.ask(UNKNOWN)
    question_id = (await api.get("/questions", headers=headers)).json()["items"][0]["id"]
    await api.post(f"/questions/{question_id}/answer", json={"answer": ANSWER}, headers=headers)

    stats = (await api.get("/stats", headers=headers)).json()

    assert stats["total_questions"] == 2
    assert stats["escalations"] == 1
    assert stats["automatic_answer_rate"] == 0.5
    assert stats["answered_by_staff"] == 1
    assert stats["median_hours_to_staff_answer"] is not None


async def test_public_stats_need_no_login_and_carry_no_question_text(office) -> None:
    _services, fake, api = office
    await citizen(fake, 9501).ask(UNKNOWN)

    response = await api.get("/public/stats")

    assert response.status_code == 200
    assert "top_open" not in response.json()
    assert "logistik" not in response.text


async def test_staff_actions_are_in_the_audit_log_for_admins(office) -> None:
    _services, fake, api = office
    staff = await login(api, *STAFF)
    admin = await login(api, *ADMIN)
    await citizen(fake, 9601).ask(UNKNOWN)
    question_id = (await api.get("/questions", headers=staff)).json()["items"][0]["id"]
    await api.post(f"/questions/{question_id}/dismiss", json={"reason": "duplikat"}, headers=staff)

    log = (await api.get("/audit", headers=admin)).json()

    assert (await api.get("/audit", headers=staff)).status_code == 403
    assert {"action": "question.dismiss", "staff": STAFF[0]}.items() <= log["items"][0].items()


async def test_merged_records_are_answered_to_every_asker_of_both(office) -> None:
    _services, fake, api = office
    headers = await login(api, *STAFF)
    first, second = citizen(fake, 9701), citizen(fake, 9702)
    await first.ask(UNKNOWN)
    await second.ask("berapa kilo berat kotak suara kardus")
    ids = [q["id"] for q in (await api.get("/questions", headers=headers)).json()["items"]]
    assert len(ids) == 2

    merged = await api.post(
        f"/questions/{ids[0]}/merge", json={"source_id": ids[1]}, headers=headers
    )
    await api.post(f"/questions/{ids[0]}/answer", json={"answer": ANSWER}, headers=headers)

    assert merged.json()["ask_count"] == 2
    assert (await api.get("/questions?status=open", headers=headers)).json()["total"] == 0
    assert "gudang KPU" in (await first.expect(1, method="sendMessage"))[0].params["text"]
    assert "gudang KPU" in (await second.expect(1, method="sendMessage"))[0].params["text"]


async def test_a_question_can_be_assigned_to_a_staff_member(office) -> None:
    _services, fake, api = office
    headers = await login(api, *STAFF)
    me = (await api.get("/staff/me", headers=headers)).json()["id"]
    await citizen(fake, 9801).ask(UNKNOWN)
    question_id = (await api.get("/questions", headers=headers)).json()["items"][0]["id"]

    assigned = await api.post(
        f"/questions/{question_id}/assign", json={"staff_id": me}, headers=headers
    )

    assert assigned.json()["assigned_to_id"] == me


async def test_a_test_copy_of_an_announcement_reaches_the_chosen_chat(office) -> None:
    _services, fake, api = office
    headers = await login(api, *STAFF)
    created = await api.post(
        "/announcements",
        json={"title": "Uji", "body": "Isi <i>uji</i>.", "send_at": "2029-01-01T08:00:00+07:00"},
        headers=headers,
    )

    result = await api.post(
        f"/announcements/{created.json()['id']}/test", json={"chat_id": 4343}, headers=headers
    )

    assert result.json()["status"] == "sent"
    copy = fake.sent("sendMessage", chat_id=4343)[0]
    assert copy.params["text"].startswith("<b>[UJI]</b> <b>Uji</b>")
