"""End-to-end: what citizens do in Telegram proposes candidate phrasings for staff, through the
real bot and the fake Bot API. A tapped suggestion and a 👍 propose the question; a 👎 and an
old suggestion button propose nothing."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.services import BotServices
from knowledge_base.conversations.models import QuestionLog
from knowledge_base.knowledge.models import KnowledgeEntry
from knowledge_base.learning.models import CandidatePhrasing, CandidateSource
from tests.bot_fixtures import citizen
from tests.telegram.fake_server import FakeTelegram, SentCall
from tests.telegram.harness import Citizen, buttons

NIK = "1371021234560001"


def _candidates(services: BotServices) -> list[CandidatePhrasing]:
    with Session(services.db) as session:
        return list(session.exec(select(CandidatePhrasing).order_by(CandidatePhrasing.id)).all())


def _entry_slug(services: BotServices, candidate: CandidatePhrasing) -> str:
    with Session(services.db) as session:
        return session.get(KnowledgeEntry, candidate.entry_id).slug


async def _suggestions(warga: Citizen, question: str = "surat suara") -> SentCall:
    reply = await warga.ask(question)
    assert reply.params["text"] == "Maksud Anda:", reply.params["text"]
    return reply


async def _confirm(warga: Citizen, reply: SentCall) -> None:
    """Tap the first suggestion, or 👍 under an answer: whichever the bot offered."""
    _label, data = buttons(reply)[0]
    warga.tap(data, on=reply)
    method = "answerCallbackQuery" if data.startswith("f:") else "editMessageText"
    await warga.expect(1, method=method)


async def test_suggestion_buttons_name_the_logged_question(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot

    reply = await _suggestions(citizen(fake))

    with Session(services.db) as session:
        log_id = session.exec(select(QuestionLog.id)).one()
    assert all(data.startswith(f"s:{log_id}:") for _label, data in buttons(reply))


async def test_tapping_a_suggestion_proposes_the_question_for_the_tapped_entry(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await _suggestions(warga)
    _label, data = buttons(reply)[1]

    warga.tap(data, on=reply)
    await warga.expect(1, method="editMessageText")

    [candidate] = _candidates(services)
    assert (candidate.text, candidate.source) == ("surat suara", CandidateSource.SUGGESTION_TAP)
    assert _entry_slug(services, candidate) == data.split(":")[2]


async def test_a_helpful_vote_proposes_the_question_for_the_answered_entry(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask("gmn cara cek dpt online")
    helpful = next(data for label, data in buttons(reply) if label.startswith("👍"))

    warga.tap(helpful, on=reply)
    await warga.expect(1, method="answerCallbackQuery")

    [candidate] = _candidates(services)
    assert (candidate.text, candidate.source) == (
        "gmn cara cek dpt online",
        CandidateSource.HELPFUL_VOTE,
    )
    assert _entry_slug(services, candidate) == "cek-dpt-online"


async def test_a_not_helpful_vote_creates_no_candidate(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask("gmn cara cek dpt online")
    not_helpful = next(data for label, data in buttons(reply) if label.startswith("👎"))

    warga.tap(not_helpful, on=reply)
    await warga.expect(1, method="sendMessage")  # handed to staff instead

    assert _candidates(services) == []


async def test_a_nik_typed_in_the_question_never_appears_in_a_candidate(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask(f"nik sy {NIK} udh terdaftar di dpt blm")

    await _confirm(warga, reply)

    [candidate] = _candidates(services)
    assert NIK not in candidate.text and NIK not in candidate.text_key
    assert candidate.text == "nik sy [NIK] udh terdaftar di dpt blm"


async def test_an_old_suggestion_button_opens_the_answer_and_teaches_nothing(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await _suggestions(warga)
    slug = buttons(reply)[0][1].split(":")[2]

    warga.tap(f"s:{slug}", on=reply)  # as buttons were made before they named the question

    edited = (await warga.expect(1, method="editMessageText"))[0]
    assert "Sumber:" in edited.params["text"]
    assert _candidates(services) == []
