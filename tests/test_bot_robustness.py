"""End-to-end: groups, flood control, odd messages, hostile input and failures never stop the bot."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from knowledge_base.conversations.models import Chat, QuestionLog
from tests.bot_fixtures import citizen
from tests.telegram.fake_server import BOT_USERNAME, Fault
from tests.telegram.harness import buttons

GROUP = -100200300


async def test_in_a_group_the_bot_stays_silent_unless_mentioned(bot) -> None:
    _services, fake = bot
    group = citizen(fake, GROUP, kind="supergroup", user_id=7001)

    group.say("gmn cara cek dpt online")

    await group.quiet(0.6)


async def test_in_a_group_a_mention_gets_an_answer(bot) -> None:
    _services, fake = bot
    group = citizen(fake, GROUP, kind="supergroup", user_id=7001)

    reply = await group.ask(f"@{BOT_USERNAME} gmn cara cek dpt online")

    assert "cekdptonline" in reply.params["text"]


async def test_in_a_group_a_reply_to_the_bot_gets_an_answer(bot) -> None:
    _services, fake = bot
    group = citizen(fake, GROUP, kind="supergroup", user_id=7001)

    reply = await group.ask("gmn cara cek dpt online", reply_to_bot=True)

    assert "cekdptonline" in reply.params["text"]


async def test_only_group_admins_may_subscribe_a_group(bot) -> None:
    services, fake = bot
    group = citizen(fake, GROUP, kind="supergroup", user_id=7001)

    reply = await group.ask("/langganan")

    assert "admin grup" in reply.params["text"]
    with Session(services.db) as session:
        assert session.exec(select(Chat).where(Chat.subscribed)).all() == []


async def test_a_group_admin_may_subscribe_the_group(bot) -> None:
    _services, fake = bot
    fake.group_admins.add(7002)
    group = citizen(fake, GROUP, kind="supergroup", user_id=7002)

    reply = await group.ask("/langganan")

    assert any(data == "a:done" for _label, data in buttons(reply))


async def test_past_a_burst_the_bot_asks_once_to_slow_down_and_ignores_the_rest(bot) -> None:
    services, fake = bot
    warga = citizen(fake, 8001)
    burst = services.settings.flood_burst

    for number in range(burst + 4):
        warga.say(f"jam brp tps buka {number}")
    replies = await warga.expect(burst + 1, method="sendMessage")
    await warga.quiet(0.5)

    slow_downs = [r for r in replies if "terlalu banyak" in r.params["text"]]
    assert len(slow_downs) == 1
    assert len(replies) == burst + 1


async def test_stickers_photos_voice_and_locations_get_a_request_to_type(bot) -> None:
    _services, fake = bot
    warga = citizen(fake)
    samples = [
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 1}},
        {"location": {"latitude": -0.68, "longitude": 100.78}},
    ]

    for sample in samples:
        warga.send_raw(sample)
    replies = await warga.expect(len(samples), method="sendMessage")

    assert all("pesan teks" in r.params["text"] for r in replies)


async def test_an_edited_message_is_answered_as_a_new_question(bot) -> None:
    _services, fake = bot
    warga = citizen(fake)

    warga.edit("gmn cara cek dpt online")

    reply = (await warga.expect(1, method="sendMessage"))[0]
    assert "cekdptonline" in reply.params["text"]


async def test_a_10000_character_message_gets_a_clear_answer_and_is_logged(bot) -> None:
    services, fake = bot

    reply = await citizen(fake).ask("pemilu " * 1430)

    assert "terlalu panjang" in reply.params["text"]
    with Session(services.db) as session:
        assert session.exec(select(QuestionLog.outcome)).one() == "decline"


async def test_emoji_only_messages_ask_for_a_question(bot) -> None:
    _services, fake = bot

    reply = await citizen(fake).ask("🗳️🙏😀")

    assert "ketik pertanyaan" in reply.params["text"]


async def test_markup_in_the_question_never_breaks_the_html_reply(bot) -> None:
    _services, fake = bot
    warga = citizen(fake)

    for text in [
        "<b>cek dpt</b> <script>alert(1)</script> gmn?",
        "**cek** _dpt_ [link](http://x) `code` & <i>",
        "resep <rendang> & <b>sambal",
        "t\u200bps \u202ebuka jam brp \u2066?",
    ]:
        reply = await warga.ask(text)
        assert reply.params["parse_mode"] == "HTML"
        assert "<script>" not in reply.params["text"]
    # The fake server rejects invalid Telegram HTML with 400: every reply was accepted.
    assert [c.status for c in fake.sent("sendMessage", chat_id=warga.chat_id)] == [200] * 4


async def test_a_failing_update_is_reported_and_the_next_one_is_answered(bot) -> None:
    _services, fake = bot
    warga = citizen(fake, 8101)
    fake.fail_chat(8101, Fault(status=400, description="Bad Request: chat not found", times=1))

    warga.say("gmn cara cek dpt online")
    await warga.expect(2, method="sendMessage")  # the failed answer, then the apology
    reply = await warga.ask("jam brp tps buka")

    assert "07.00" in reply.params["text"]


async def test_erasing_data_needs_confirmation_then_forgets_the_citizen(bot) -> None:
    services, fake = bot
    warga = citizen(fake, 8201)
    await warga.ask("gmn cara cek dpt online")
    prompt = await warga.ask("/hapusdata")
    assert "Lanjutkan" in prompt.params["text"]

    warga.tap("x:yes", on=prompt)
    done = (await warga.expect(1, method="editMessageText"))[0]

    assert "telah dihapus" in done.params["text"]
    with Session(services.db) as session:
        assert session.exec(select(Chat)).all() == []
        log = session.exec(select(QuestionLog)).one()
    assert log.chat_id is None  # the aggregate count stays, the link is gone


async def test_cancelling_erasure_keeps_everything(bot) -> None:
    services, fake = bot
    warga = citizen(fake, 8301)
    await warga.ask("gmn cara cek dpt online")
    prompt = await warga.ask("/hapusdata")

    warga.tap("x:no", on=prompt)
    await warga.expect(1, method="editMessageText")

    with Session(services.db) as session:
        assert len(session.exec(select(Chat)).all()) == 1


async def test_a_429_is_waited_out_for_retry_after_and_retried(bot) -> None:
    _services, fake = bot
    warga = citizen(fake, 8401)
    fake.fail_chat(8401, Fault(status=429, description="Too Many Requests", retry_after=1))

    warga.say("jam brp tps buka")
    first, second = await warga.expect(2, method="sendMessage", timeout=15)

    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 1.0


@pytest.mark.parametrize("bot", [{"telegram_overall_rate": 4.0}], indirect=True)
async def test_outgoing_messages_respect_the_overall_rate_limit(bot) -> None:
    _services, fake = bot
    chats = [citizen(fake, 8500 + i) for i in range(10)]

    for warga in chats:
        warga.say("jam brp tps buka")
    for warga in chats:
        await warga.expect(1, method="sendMessage", timeout=20)

    times = sorted(c.at for c in fake.sent("sendMessage"))
    assert times[-1] - times[0] >= 1.0  # 10 messages at 4/s (burst of 4) need about 1.5 s
