"""Staff work from the staff group: a card per escalated question, answer by replying to it,
take / dismiss / draft buttons; only linked, active staff change anything."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from sqlmodel import Session, select

from bot.application import build_application
from bot.flood import FloodGuard
from bot.outbox_transport import build_outbox_sender
from bot.services import BotServices
from knowledge_base.core.db import create_db_engine, session_scope
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.knowledge.models import EntryStatus, KnowledgeEntry
from knowledge_base.outbox.models import OutboxMessage, OutboxPurpose
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import AuditLog, StaffRole, StaffUser
from tests.bot_fixtures import bot_settings
from tests.telegram.fake_server import BOT_ID, FakeTelegram
from tests.telegram.harness import chat, start_polling, stop_polling, text_message, user

STAFF_GROUP = -100500
STAFF_TELEGRAM = 7001  # ppid1's linked Telegram account
STRANGER = 7999  # a group member who is not linked staff
UNKNOWN = "bagaimana nasib logistik pemilu yang tersisa setelah pemilihan selesai"
ANSWER = "Logistik sisa disimpan di gudang KPU lalu dimusnahkan dengan berita acara."
_ids = itertools.count(900_000)


@pytest_asyncio.fixture
async def office(
    tmp_path: Path, seeded_template: Path, shared_engine, fake_telegram
) -> AsyncIterator[tuple[BotServices, FakeTelegram]]:
    """The bot and the outbox sender with a staff group and one linked staff member."""
    fake, base_url = fake_telegram
    shutil.copyfile(seeded_template, tmp_path / "bot.db")
    settings = bot_settings(tmp_path, base_url, staff_chat_id=STAFF_GROUP)
    db = create_db_engine(settings.database_url)
    with session_scope(db) as session:
        staff = create_staff(
            session, username="ppid1", password="kata-sandi-1", role=StaffRole.STAFF
        )
        staff.telegram_user_id = STAFF_TELEGRAM
    services = BotServices(
        settings=settings, db=db, engine=shared_engine, flood=FloodGuard(50, 10.0)
    )
    app = build_application(services)
    await start_polling(app)
    outbox = build_outbox_sender(settings, db)
    await outbox.start()
    try:
        yield services, fake
    finally:
        await outbox.stop()
        await stop_polling(app)
        db.dispose()


async def _until(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def _ask(fake: FakeTelegram, chat_id: int, text: str = UNKNOWN) -> None:
    fake.push_update({"message": text_message(chat_id, text)})


async def _card(fake: FakeTelegram):
    return (await _until(lambda: fake.sent("sendMessage", chat_id=STAFF_GROUP)))[0]


def _reply(fake: FakeTelegram, to, text: str, from_user: int) -> None:
    """A group member replies to the bot's message ``to``."""
    fake.push_update(
        {
            "message": {
                "message_id": next(_ids),
                "date": int(time.time()),
                "chat": chat(STAFF_GROUP, "supergroup"),
                "from": user(from_user, "Petugas"),
                "text": text,
                "reply_to_message": {
                    "message_id": to.message_id,
                    "date": int(time.time()),
                    "chat": chat(STAFF_GROUP, "supergroup"),
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "TanyaPemilu"},
                    "text": to.params["text"],
                },
            }
        }
    )


def _tap(fake: FakeTelegram, card, data: str, from_user: int) -> None:
    fake.push_update(
        {
            "callback_query": {
                "id": f"{STAFF_GROUP}-{next(_ids)}",
                "from": user(from_user, "Petugas"),
                "chat_instance": "staff",
                "data": data,
                "message": {
                    "message_id": card.message_id,
                    "date": int(time.time()),
                    "chat": chat(STAFF_GROUP, "supergroup"),
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "TanyaPemilu"},
                    "text": card.params["text"],
                },
            }
        }
    )


def _question(services: BotServices) -> UnansweredQuestion:
    with Session(services.db) as session:
        return session.exec(select(UnansweredQuestion)).one()


async def test_an_escalation_is_posted_once_with_buttons(office) -> None:
    _services, fake = office
    _ask(fake, 5101)

    card = await _card(fake)

    assert "Ditanyakan oleh 1 warga" in card.params["text"]
    labels = [b["text"] for b in card.params["reply_markup"]["inline_keyboard"][0]]
    assert labels == ["🙋 Ambil", "✖️ Tolak"]


async def test_a_second_asker_edits_the_card_instead_of_posting_again(office) -> None:
    _services, fake = office
    _ask(fake, 5101)
    await _card(fake)

    _ask(fake, 5102)

    edit = (await _until(lambda: fake.sent("editMessageText", chat_id=STAFF_GROUP)))[0]
    assert "Ditanyakan oleh 2 warga" in edit.params["text"]
    assert len(fake.sent("sendMessage", chat_id=STAFF_GROUP)) == 1


async def test_a_linked_staff_reply_answers_every_asker_and_is_audited(office) -> None:
    services, fake = office
    _ask(fake, 5101)
    card = await _card(fake)
    _ask(fake, 5102)
    await _until(lambda: fake.sent("editMessageText", chat_id=STAFF_GROUP))

    _reply(fake, card, ANSWER, STAFF_TELEGRAM)

    for asker in (5101, 5102):
        await _until(
            lambda a=asker: [
                c for c in fake.sent("sendMessage", chat_id=a) if "berita acara" in c.params["text"]
            ]
        )
    edits = await _until(
        lambda: [
            c
            for c in fake.sent("editMessageText", chat_id=STAFF_GROUP)
            if "Dijawab oleh" in c.params["text"]
        ]
    )
    assert "ppid1" in edits[-1].params["text"]
    with Session(services.db) as session:
        actions = session.exec(select(AuditLog.action)).all()
    assert "question.answer" in actions


async def test_a_reply_from_someone_not_linked_changes_nothing(office) -> None:
    services, fake = office
    _ask(fake, 5101)
    card = await _card(fake)

    _reply(fake, card, "Saya jawab saja ya", STRANGER)

    refusal = (
        await _until(
            lambda: [
                c
                for c in fake.sent("sendMessage", chat_id=STAFF_GROUP)
                if "tertaut" in c.params["text"]
            ]
        )
    )[0]
    assert refusal
    assert _question(services).status == UnansweredStatus.OPEN


async def test_take_assigns_the_question_to_the_tapper(office) -> None:
    services, fake = office
    _ask(fake, 5101)
    card = await _card(fake)

    _tap(fake, card, f"q:take:{_question(services).id}", STAFF_TELEGRAM)

    await _until(lambda: _question(services).assigned_to_id is not None)
    edit = (await _until(lambda: fake.sent("editMessageText", chat_id=STAFF_GROUP)))[-1]
    assert "Ditangani: ppid1" in edit.params["text"]


async def test_dismiss_asks_the_reason_and_the_askers_are_told_it(office) -> None:
    services, fake = office
    _ask(fake, 5101)
    card = await _card(fake)
    question_id = _question(services).id

    _tap(fake, card, f"q:dismiss:{question_id}", STAFF_TELEGRAM)
    prompt = (
        await _until(
            lambda: [
                c
                for c in fake.sent("sendMessage", chat_id=STAFF_GROUP)
                if "Alasan penolakan" in c.params["text"]
            ]
        )
    )[0]
    _reply(
        fake,
        prompt,
        "Ini wewenang Bawaslu; silakan hubungi Bawaslu Kota Sawahlunto.",
        STAFF_TELEGRAM,
    )

    notice = await _until(
        lambda: [c for c in fake.sent("sendMessage", chat_id=5101) if "Bawaslu" in c.params["text"]]
    )
    assert notice
    assert _question(services).status == UnansweredStatus.DISMISSED


async def test_draft_turns_an_answered_question_into_a_draft_entry(office) -> None:
    services, fake = office
    _ask(fake, 5101)
    card = await _card(fake)
    _reply(fake, card, ANSWER, STAFF_TELEGRAM)
    await _until(lambda: _question(services).status == UnansweredStatus.ANSWERED)

    _tap(fake, card, f"q:draft:{_question(services).id}", STAFF_TELEGRAM)

    def draft() -> KnowledgeEntry | None:
        with Session(services.db) as session:
            return session.exec(
                select(KnowledgeEntry).where(KnowledgeEntry.status == EntryStatus.DRAFT)
            ).first()

    entry = await _until(draft)
    assert entry.answer == ANSWER


async def test_a_card_is_queued_once_per_state_in_the_outbox(office) -> None:
    services, fake = office
    _ask(fake, 5101)
    await _card(fake)

    with Session(services.db) as session:
        cards = session.exec(
            select(OutboxMessage).where(OutboxMessage.purpose == OutboxPurpose.STAFF_CARD)
        ).all()
    assert len(cards) == 1


async def test_an_edited_reply_is_not_sent_again(office) -> None:
    services, fake = office
    _ask(fake, 5101)
    card = await _card(fake)
    _reply(fake, card, ANSWER, STAFF_TELEGRAM)
    await _until(lambda: _question(services).status == UnansweredStatus.ANSWERED)
    await _until(lambda: fake.sent("sendMessage", chat_id=5101)[1:])

    edited = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "edit_date": int(time.time()),
        "chat": chat(STAFF_GROUP, "supergroup"),
        "from": user(STAFF_TELEGRAM, "Petugas"),
        "text": ANSWER + " (diperbaiki)",
        "reply_to_message": {
            "message_id": card.message_id,
            "date": int(time.time()),
            "chat": chat(STAFF_GROUP, "supergroup"),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "TanyaPemilu"},
            "text": card.params["text"],
        },
    }
    fake.push_update({"edited_message": edited})
    await asyncio.sleep(1.5)

    answers = [
        c for c in fake.sent("sendMessage", chat_id=5101) if "berita acara" in c.params["text"]
    ]
    assert len(answers) == 1


async def test_a_deactivated_staff_members_reply_changes_nothing(office) -> None:
    services, fake = office
    _ask(fake, 5101)
    card = await _card(fake)
    with session_scope(services.db) as session:
        staff = session.exec(select(StaffUser)).one()
        staff.is_active = False

    _reply(fake, card, ANSWER, STAFF_TELEGRAM)

    await _until(
        lambda: [
            c
            for c in fake.sent("sendMessage", chat_id=STAFF_GROUP)
            if "tertaut" in c.params["text"]
        ]
    )
    assert _question(services).status == UnansweredStatus.OPEN
