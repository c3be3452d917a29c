"""End-to-end: forged button data gets one polite notice and changes nothing.

Anyone can send any ``callback_query`` data to the bot, not only the buttons it made. Each
forged tap must be answered exactly once (so the citizen's spinner stops) with the stale-button
notice, raise nothing, and leave every database row and the pending area choice untouched.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel

import knowledge_base.tables  # noqa: F401  (registers every table)
from bot import texts
from bot.services import BotServices
from knowledge_base.conversations.models import Chat
from tests.bot_fixtures import citizen
from tests.telegram.fake_server import FakeTelegram
from tests.telegram.harness import Citizen, buttons

FORGED = [
    "",
    "f:abc:1",
    "f:",
    "f:1",
    "f:99999999999999999999:1",
    "f:2147483648:1",  # one past PostgreSQL's integer
    "f:1:2",
    "f:0:1",
    "f:-5:1",
    "f:01:1",
    "f: 1:1",
    "f:1_0:1",
    "f:1:1:",
    "a:99",
    "a:4",  # one past the last of the four kecamatan
    "a:-1",
    "a:",
    "a:1:2",
    "a:1e3",
    "a:١",  # Arabic-Indic one: str.isdigit() and int() accept it
    "a:ALL",
    "s:",
    "s:../../x",
    "s:Cek-DPT",
    "s:cek--dpt",
    "e:" + "a" * 70,  # longer than Telegram's 64 bytes
    "e:cek dpt",
    "c:",
    "c:tidak-ada-kategori",  # well-formed, but no such category
    "x:maybe",
    "x:",
    "x:yes:1",
    "t:",
    "g:1",
    "zz:1",
    "s:cek-dpt\n",
    "s:0:cek-dpt-online",
    "s:01:cek-dpt-online",
    "s:2147483648:cek-dpt-online",  # one past PostgreSQL's integer
    "s:1:Cek-DPT",
    "s:1:cek-dpt-online:1",
    "s:cek-dpt-online:1",
    "l:",
    "l:Cek-DPT",
    "l:cek-dpt-online:1",
]


def snapshot(db: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a tap changed nothing."""
    with db.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(select(table))), key=repr)
            for table in SQLModel.metadata.sorted_tables
        }


async def subscribed_citizen_with_an_answer(fake: FakeTelegram, chat_id: int = 5001) -> Citizen:
    """A citizen who got an answer (with feedback buttons) and subscribed to one kecamatan."""
    warga = citizen(fake, chat_id)
    reply = await warga.ask("gmn cara cek dpt online")
    assert any(data.startswith("f:") for _label, data in buttons(reply))
    menu = await warga.ask("/langganan")
    warga.tap("a:0", on=menu)
    await warga.expect(1, method="editMessageReplyMarkup")
    warga.tap("a:done", on=menu)
    await warga.expect(1, method="editMessageText")
    return warga


async def assert_one_stale_notice_and_nothing_else(warga: Citizen) -> None:
    answers = await warga.expect(1, method="answerCallbackQuery")
    assert len(answers) == 1, answers
    assert answers[0].params.get("text") == texts.STALE_BUTTON
    assert answers[0].params.get("show_alert") in (None, False)
    await warga.quiet(0.3)  # no edit, no apology, no second answer


def feedback_log_id(reply: Any) -> int:
    data = next(data for _label, data in buttons(reply) if data.startswith("f:"))
    return int(data.split(":")[1])


@pytest.mark.parametrize("data", FORGED)
async def test_a_forged_button_gets_one_notice_and_changes_nothing(
    bot: tuple[BotServices, FakeTelegram], caplog: pytest.LogCaptureFixture, data: str
) -> None:
    services, fake = bot
    warga = await subscribed_citizen_with_an_answer(fake)
    before = snapshot(services.db)

    warga.tap(data)

    await assert_one_stale_notice_and_nothing_else(warga)
    assert snapshot(services.db) == before
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_feedback_on_another_chats_answer_gets_the_notice_and_changes_nothing(
    bot: tuple[BotServices, FakeTelegram], caplog: pytest.LogCaptureFixture
) -> None:
    services, fake = bot
    victim = citizen(fake, 5001)
    victims_log = feedback_log_id(await victim.ask("gmn cara cek dpt online"))
    prober = citizen(fake, 5002)
    await prober.ask("jam brp tps buka")
    before = snapshot(services.db)

    prober.tap(f"f:{victims_log}:0")

    await assert_one_stale_notice_and_nothing_else(prober)
    assert snapshot(services.db) == before
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_suggestion_button_naming_another_chats_question_opens_the_answer_and_teaches_nothing(
    bot: tuple[BotServices, FakeTelegram], caplog: pytest.LogCaptureFixture
) -> None:
    services, fake = bot
    victim = citizen(fake, 5001)
    victims_suggestions = await victim.ask("surat suara")
    victims_log = int(buttons(victims_suggestions)[0][1].split(":")[1])
    prober = citizen(fake, 5002)
    await prober.ask("jam brp tps buka")
    before = snapshot(services.db)

    prober.tap(f"s:{victims_log}:cek-dpt-online")

    edited = (await prober.expect(1, method="editMessageText"))[0]
    assert "Sumber:" in edited.params["text"]  # the entry is public: it opens, as a tap would
    await prober.quiet(0.3)
    assert snapshot(services.db) == before  # but the victim's question teaches nothing
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_suggestion_button_naming_a_missing_question_teaches_nothing(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    before = snapshot(services.db)
    stranger = citizen(fake, 5003)

    stranger.tap("s:2147483647:cek-dpt-online")

    await stranger.expect(1, method="editMessageText")
    await stranger.quiet(0.3)
    assert snapshot(services.db) == before  # not even a chat row for the stranger


async def test_feedback_on_a_missing_answer_from_a_new_chat_records_nothing(
    bot: tuple[BotServices, FakeTelegram], caplog: pytest.LogCaptureFixture
) -> None:
    services, fake = bot
    before = snapshot(services.db)
    stranger = citizen(fake, 5003)

    stranger.tap("f:2147483647:0")

    await assert_one_stale_notice_and_nothing_else(stranger)
    assert snapshot(services.db) == before  # not even a chat row for the stranger
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_finishing_without_a_choice_in_progress_keeps_the_chosen_kecamatan(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    warga = await subscribed_citizen_with_an_answer(fake)
    before = snapshot(services.db)

    warga.tap("a:done")  # e.g. an old menu after a restart: saving would mean "all areas"

    await assert_one_stale_notice_and_nothing_else(warga)
    assert snapshot(services.db) == before


async def test_the_citizens_own_feedback_button_still_works(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask("gmn cara cek dpt online")
    before = snapshot(services.db)

    warga.tap(f"f:{feedback_log_id(reply)}:1", on=reply)

    answer = (await warga.expect(1, method="answerCallbackQuery"))[0]
    assert answer.params.get("text") == texts.FEEDBACK_THANKS
    assert snapshot(services.db) != before


async def test_a_group_member_who_is_not_admin_cannot_erase_the_groups_data(bot) -> None:
    services, fake = bot
    fake.group_admins.add(7102)
    admin = citizen(fake, -100777, kind="supergroup", user_id=7102)
    await admin.ask("/langganan")
    admin.tap("a:all")
    await admin.expect(2)
    group = citizen(fake, -100777, kind="supergroup", user_id=7101)
    group.seen = admin.seen  # the same chat: what the admin was sent is not the member's

    refused = await group.ask("/hapusdata")
    group.tap("x:yes")
    answer = (await group.expect(1, method="answerCallbackQuery"))[0]

    assert "admin grup" in refused.params["text"]
    assert "admin grup" in answer.params["text"]
    with Session(services.db) as session:
        chat = session.scalars(select(Chat).where(Chat.telegram_chat_id == -100777)).one()
        assert chat.subscribed


async def test_a_replayed_not_helpful_tap_escalates_only_once(
    bot: tuple[BotServices, FakeTelegram],
) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask("gmn cara cek dpt online")
    data = f"f:{feedback_log_id(reply)}:0"
    warga.tap(data, on=reply)
    await warga.expect(1, method="answerCallbackQuery")
    after_first = snapshot(services.db)

    warga.tap(data, on=reply)

    answer = (await warga.expect(1, method="answerCallbackQuery"))[0]
    assert answer.params.get("text") == texts.STALE_BUTTON
    assert snapshot(services.db) == after_first
