"""Inline keyboards, each built by a small helper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks, texts
from knowledge_base.answering.engine import Suggestion


def _button(label: str, callback: callbacks.Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.build(callback))


def main_menu() -> InlineKeyboardMarkup:
    """Topics, stages and subscription shortcuts under the greeting."""
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.BUTTON_TOPICS, callbacks.ShowTopics()),
                _button(texts.BUTTON_STAGES, callbacks.ShowStages()),
            ]
        ]
    )


def feedback(log_id: int) -> InlineKeyboardMarkup:
    """Helpful / not helpful under an answer."""
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.BUTTON_HELPFUL, callbacks.RateAnswer(log_id, helpful=True)),
                _button(texts.BUTTON_NOT_HELPFUL, callbacks.RateAnswer(log_id, helpful=False)),
            ]
        ]
    )


def suggestions(items: Sequence[Suggestion]) -> InlineKeyboardMarkup:
    """One button per suggested entry."""
    return InlineKeyboardMarkup(
        [[_button(_short(s.question), callbacks.OpenSuggestion(s.entry_id))] for s in items]
    )


def categories(labelled: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Two category buttons per row, from (category id, label) pairs."""
    buttons = [_button(label, callbacks.ShowCategory(name)) for name, label in labelled]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def entries(items: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per (slug, question), then a way back to the categories."""
    rows = [[_button(_short(question), callbacks.OpenEntry(slug))] for slug, question in items]
    rows.append([_button(texts.BUTTON_BACK, callbacks.ShowTopics())])
    return InlineKeyboardMarkup(rows)


def back_to_topics(category: str) -> InlineKeyboardMarkup:
    """Under an answer opened from the topic browser."""
    return InlineKeyboardMarkup([[_button(texts.BUTTON_BACK, callbacks.ShowCategory(category))]])


def areas(names: Sequence[str], chosen: set[int]) -> InlineKeyboardMarkup:
    """Kecamatan toggles (by index into ``names``) for a subscription, then "all" and "done"."""
    rows = [
        [_button(("✅ " if i in chosen else "") + name, callbacks.ToggleArea(i))]
        for i, name in enumerate(names)
    ]
    rows.append(
        [
            _button(texts.BUTTON_ALL_AREAS, callbacks.FinishAreas(all_areas=True)),
            _button(texts.BUTTON_DONE, callbacks.FinishAreas(all_areas=False)),
        ]
    )
    return InlineKeyboardMarkup(rows)


def confirm_erase() -> InlineKeyboardMarkup:
    """Yes / cancel for /hapusdata."""
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.BUTTON_CONFIRM_ERASE, callbacks.ConfirmErase(confirmed=True)),
                _button(texts.BUTTON_CANCEL, callbacks.ConfirmErase(confirmed=False)),
            ]
        ]
    )


def _short(question: str, limit: int = 60) -> str:
    return question if len(question) <= limit else question[: limit - 1].rstrip() + "…"
