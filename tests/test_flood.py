"""Flood control covers commands and button taps too, and forgets quiet chats."""

from __future__ import annotations

from bot.flood import FloodGuard, Verdict
from tests.bot_fixtures import citizen


async def test_a_burst_of_commands_is_slowed_down_like_questions(bot) -> None:
    services, fake = bot
    warga = citizen(fake, 8101)
    burst = services.settings.flood_burst

    for _ in range(burst + 4):
        warga.say("/bantuan")
    replies = await warga.expect(burst + 1, method="sendMessage")
    await warga.quiet(0.5)

    assert sum("terlalu banyak" in r.params["text"] for r in replies) == 1


async def test_a_burst_of_button_taps_is_answered_but_not_acted_on(bot) -> None:
    services, fake = bot
    warga = citizen(fake, 8102)
    burst = services.settings.flood_burst

    for _ in range(burst + 3):
        warga.tap("t")
    calls = await warga.expect(2 * burst + 3, method=None, timeout=10)
    await warga.quiet(0.5)

    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    edits = [c for c in calls if c.method == "editMessageText"]
    assert len(answers) == burst + 3  # every tap stops spinning
    assert len(edits) == burst
    assert sum("terlalu banyak" in (a.params.get("text") or "") for a in answers) == 1


def test_chats_quiet_for_a_whole_window_are_forgotten() -> None:
    guard = FloodGuard(burst=3, window=10.0)
    for chat_id in range(1000):
        guard.check(chat_id, now=0.0)

    assert guard.check(5000, now=11.0) is Verdict.ALLOW
    assert len(guard) == 1
