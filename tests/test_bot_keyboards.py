"""The keyboards under answers and suggestions: the "Lihat juga" row, and suggestion buttons
that name the logged question whenever Telegram's 64 bytes allow."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import callbacks, keyboards
from bot.callbacks import MAX_ID, OpenSeeAlso, OpenSuggestion, RateAnswer
from knowledge_base.answering.engine import Suggestion

RELATED = Suggestion("dpt-pengertian", "Apa itu Daftar Pemilih Tetap (DPT)?", 70.0)


def _rows(markup: InlineKeyboardMarkup) -> list[list[tuple[str, callbacks.Callback | None]]]:
    return [
        [(b.text, callbacks.parse(b.callback_data, area_count=0)) for b in row]
        for row in markup.inline_keyboard
    ]


def test_an_answer_without_see_also_has_only_the_feedback_row() -> None:
    assert _rows(keyboards.feedback(7)) == [
        [
            ("👍 Membantu", RateAnswer(7, helpful=True)),
            ("👎 Tidak membantu", RateAnswer(7, helpful=False)),
        ]
    ]


def test_see_also_adds_one_row_below_the_feedback_row() -> None:
    rows = _rows(keyboards.feedback(7, RELATED))

    assert rows[1:] == [
        [("Lihat juga: Apa itu Daftar Pemilih Tetap (DPT)?", OpenSeeAlso("dpt-pengertian"))]
    ]


def test_a_long_see_also_question_is_cut_after_a_whole_word() -> None:
    long = Suggestion(
        "cek-dpt", "Bagaimana cara mengecek apakah nama saya sudah terdaftar di DPT?", 1
    )

    [(label, _data)] = _rows(keyboards.feedback(7, long))[1]

    assert label == "Lihat juga: Bagaimana cara mengecek apakah nama saya sudah…"


def test_a_see_also_slug_too_long_for_a_button_is_left_out() -> None:
    too_long = Suggestion("a" * 63, "Apa itu DPT?", 1)

    assert len(_rows(keyboards.feedback(7, too_long))) == 1


def test_suggestion_buttons_carry_the_logged_question() -> None:
    markup = keyboards.suggestions([RELATED], log_id=41)

    assert _rows(markup) == [[(RELATED.question, OpenSuggestion("dpt-pengertian", 41))]]


def test_a_suggestion_whose_slug_leaves_no_room_for_the_log_id_still_opens() -> None:
    slug = "a" * 55  # fits alone (57 bytes), not with a ten-digit log id (68)

    markup = keyboards.suggestions([Suggestion(slug, "Apa itu DPT?", 1)], log_id=MAX_ID)

    assert _rows(markup) == [[("Apa itu DPT?", OpenSuggestion(slug))]]
