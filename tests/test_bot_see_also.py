"""End-to-end: an answer whose reply names a "Lihat juga" entry shows it under the 👍/👎 row, and
a tap sends that entry's answer as a new message without teaching anything.

The engine filling ``Reply.see_also`` is someone else's work; until it lands, these tests wrap
the real engine so its answers carry one, and drive the real bot through the fake Bot API."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.services import BotServices
from knowledge_base.answering.engine import QuestionEngine, Reply, Suggestion
from knowledge_base.conversations.models import Outcome
from knowledge_base.learning.models import CandidatePhrasing
from tests.bot_fixtures import citizen
from tests.security.test_forged_callbacks import snapshot
from tests.telegram.fake_server import FakeTelegram
from tests.telegram.harness import buttons

SEE_ALSO = Suggestion(
    "dpt-nama-tidak-ditemukan",
    "Apa yang harus saya lakukan jika nama saya tidak ditemukan di cek DPT online?",
    72.0,
)


class EngineWithSeeAlso:
    """The real engine, whose answers name ``SEE_ALSO`` as the ranking work will."""

    def __init__(self, engine: QuestionEngine) -> None:
        self._engine = engine

    def ask(self, text: str, now: datetime | None = None) -> Reply:
        reply = self._engine.ask(text, now)
        if reply.outcome == Outcome.ANSWER and reply.entry_id is not None:
            return replace(reply, see_also=SEE_ALSO)
        return reply

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


@pytest.fixture
def shared_engine(shared_engine: QuestionEngine) -> EngineWithSeeAlso:
    return EngineWithSeeAlso(shared_engine)


async def test_an_answer_shows_lihat_juga_under_the_feedback_row(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    _services, fake = bot

    reply = await citizen(fake).ask("gmn cara cek dpt online")

    rows = reply.params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [
        ["👍 Membantu", "👎 Tidak membantu"],
        ["Lihat juga: Apa yang harus saya lakukan jika nama saya…"],
    ]
    assert rows[1][0]["callback_data"] == "l:dpt-nama-tidak-ditemukan"


async def test_tapping_lihat_juga_sends_that_answer_and_keeps_the_first(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    _services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask("gmn cara cek dpt online")
    _label, see_also = buttons(reply)[-1]

    warga.tap(see_also, on=reply)

    sent = (await warga.expect(1, method="sendMessage"))[0]
    assert "Sumber:" in sent.params["text"]
    assert sent.params["text"] != reply.params["text"]
    assert fake.sent("editMessageText") == [] and fake.sent("editMessageReplyMarkup") == []


async def test_tapping_lihat_juga_creates_no_candidate(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask("gmn cara cek dpt online")
    _label, see_also = buttons(reply)[-1]
    before = snapshot(services.db)

    warga.tap(see_also, on=reply)
    await warga.expect(1, method="sendMessage")

    assert snapshot(services.db) == before
    with Session(services.db) as session:
        assert session.exec(select(CandidatePhrasing)).all() == []


async def test_lihat_juga_on_an_entry_no_longer_published_says_so(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    _services, fake = bot
    warga = citizen(fake)

    warga.tap("l:entri-yang-sudah-dihapus")

    answer = (await warga.expect(1, method="answerCallbackQuery"))[0]
    assert "sudah tidak tersedia" in answer.params["text"]
    await warga.quiet(0.3)
