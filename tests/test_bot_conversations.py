"""End-to-end: a citizen talks to the real bot through the fake Telegram Bot API server."""

from __future__ import annotations

from sqlmodel import Session, select

from knowledge_base.conversations.models import Chat, QuestionLog
from knowledge_base.followup.models import UnansweredAsker, UnansweredQuestion
from tests.bot_fixtures import citizen
from tests.telegram.harness import buttons


async def test_start_greets_explains_scope_and_privacy_with_a_menu(bot) -> None:
    _services, fake = bot
    warga = citizen(fake)

    reply = await warga.ask("/start")

    text = reply.params["text"]
    assert "TanyaPemilu" in text
    assert "partai" in text  # what the bot will not do
    assert "/hapusdata" in text
    assert reply.params["parse_mode"] == "HTML"
    assert buttons(reply)


async def test_commands_are_registered_in_telegrams_menu(bot) -> None:
    _services, fake = bot

    calls = fake.sent("setMyCommands")

    names = {c["command"] for c in calls[0].params["commands"]}
    assert {"start", "bantuan", "topik", "tahapan", "langganan", "berhenti", "hapusdata"} <= names


async def test_a_clear_question_gets_the_answer_source_and_feedback_buttons(bot) -> None:
    _services, fake = bot
    warga = citizen(fake)

    reply = await warga.ask("gmn cara cek dpt online")

    assert "cekdptonline.kpu.go.id" in reply.params["text"]
    assert "Sumber:" in reply.params["text"]
    assert [label for label, _ in buttons(reply)] == ["👍 Membantu", "👎 Tidak membantu"]


async def test_every_question_is_logged_masked_with_its_outcome(bot) -> None:
    services, fake = bot
    warga = citizen(fake)

    await warga.ask("nik sy 1371021234560001 udh terdaftar di dpt blm")

    with Session(services.db) as session:
        log = session.exec(select(QuestionLog)).one()
    assert "1371021234560001" not in log.masked_text
    assert "[NIK]" in log.masked_text
    assert log.outcome in {"answer", "suggest"}
    assert log.latency_ms > 0


async def test_an_ambiguous_question_offers_suggestion_buttons(bot) -> None:
    _services, fake = bot
    warga = citizen(fake)

    reply = await warga.ask("surat suara")

    assert reply.params["text"] == "Maksud Anda:"
    assert all(data.startswith("s:") for _, data in buttons(reply))
    assert 1 <= len(buttons(reply)) <= 3


async def test_tapping_a_suggestion_answers_that_entry_in_place(bot) -> None:
    _services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask("surat suara")
    _label, data = buttons(reply)[0]

    warga.tap(data, on=reply)

    edited = (await warga.expect(1, method="editMessageText"))[0]
    assert "Sumber:" in edited.params["text"]


async def test_an_unanswerable_election_question_goes_to_staff_with_office_contact(bot) -> None:
    services, fake = bot
    warga = citizen(fake)

    reply = await warga.ask(
        "bagaimana nasib logistik pemilu yang tersisa setelah pemilihan selesai"
    )

    assert "petugas" in reply.params["text"]
    assert "0754-61000" in reply.params["text"]
    with Session(services.db) as session:
        question = session.exec(select(UnansweredQuestion)).one()
        askers = session.exec(select(UnansweredAsker)).all()
    assert question.status == "open"
    assert len(askers) == 1


async def test_similar_unanswered_questions_share_one_record_with_every_asker(bot) -> None:
    services, fake = bot
    first, second = citizen(fake, 6001), citizen(fake, 6002)

    await first.ask("bagaimana nasib logistik pemilu yang tersisa setelah pemilihan selesai")
    await second.ask("bagaimana nasib logistik pemilu yg tersisa setelah pemilihan selesai?")

    with Session(services.db) as session:
        question = session.exec(select(UnansweredQuestion)).one()
        askers = session.exec(select(UnansweredAsker)).all()
    assert question.ask_count == 2
    assert len(askers) == 2


async def test_an_out_of_scope_question_is_declined_politely(bot) -> None:
    _services, fake = bot

    reply = await citizen(fake).ask("resep rendang padang yg enak gmn")

    assert reply.params["text"].startswith("Mohon maaf")
    assert buttons(reply) == []


async def test_a_partisan_request_is_declined_neutrally(bot) -> None:
    _services, fake = bot

    reply = await citizen(fake).ask("partai apa yg hrs sy pilih?")

    assert "netral" in reply.params["text"]


async def test_not_helpful_feedback_turns_the_question_into_an_escalation(bot) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask("gmn cara cek dpt online")
    not_helpful = next(data for label, data in buttons(reply) if "Tidak" in label)

    warga.tap(not_helpful, on=reply)

    follow_up = await warga.expect(1, method="sendMessage")
    assert "petugas" in follow_up[0].params["text"]
    with Session(services.db) as session:
        log = session.exec(select(QuestionLog)).one()
        question = session.exec(select(UnansweredQuestion)).one()
    assert log.feedback == "not_helpful"
    assert question.masked_text == log.masked_text


async def test_helpful_feedback_is_recorded(bot) -> None:
    services, fake = bot
    warga = citizen(fake)
    reply = await warga.ask("gmn cara cek dpt online")
    helpful = next(data for label, data in buttons(reply) if "Membantu" in label)

    warga.tap(helpful, on=reply)

    await warga.expect(1, method="answerCallbackQuery")
    with Session(services.db) as session:
        assert session.exec(select(QuestionLog.feedback)).one() == "helpful"


async def test_topics_browse_by_editing_one_message(bot) -> None:
    _services, fake = bot
    warga = citizen(fake)
    menu = await warga.ask("/topik")
    category = next(data for _label, data in buttons(menu) if data == "c:tps")

    warga.tap(category, on=menu)
    listing = (await warga.expect(1, method="editMessageText"))[0]
    entry = next(data for _label, data in buttons(listing) if data.startswith("e:"))
    warga.tap(entry, on=listing)
    answer = (await warga.expect(1, method="editMessageText"))[0]

    assert "Sumber:" in answer.params["text"]
    assert fake.sent("sendMessage", chat_id=warga.chat_id) == [menu]


async def test_stages_command_explains_when_nothing_is_scheduled(bot) -> None:
    _services, fake = bot

    reply = await citizen(fake).ask("/tahapan")

    assert "tahapan" in reply.params["text"].lower()


async def test_subscribing_with_chosen_kecamatan_is_stored(bot) -> None:
    services, fake = bot
    warga = citizen(fake)
    menu = await warga.ask("/langganan")

    warga.tap("a:0", on=menu)
    await warga.expect(1, method="editMessageReplyMarkup")
    warga.tap("a:done", on=menu)
    confirmation = (await warga.expect(1, method="editMessageText"))[0]

    assert "Barangin" in confirmation.params["text"]
    with Session(services.db) as session:
        chat = session.exec(select(Chat)).one()
    assert chat.subscribed
    assert chat.subscription_areas == ["Barangin"]


async def test_unsubscribing_stops_announcements(bot) -> None:
    services, fake = bot
    warga = citizen(fake)
    menu = await warga.ask("/langganan")
    warga.tap("a:all", on=menu)
    await warga.expect(1, method="editMessageText")

    reply = await warga.ask("/berhenti")

    assert "tidak lagi berlangganan" in reply.params["text"]
    with Session(services.db) as session:
        assert not session.exec(select(Chat.subscribed)).one()
