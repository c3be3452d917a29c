"""Inline keyboards, each built by a small helper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks, texts
from knowledge_base.engine import Suggestion


def _button(label: str, kind: str, *args: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.build(kind, *args))


def main_menu() -> InlineKeyboardMarkup:
    """Topics, stages and subscription shortcuts under the greeting."""
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.BUTTON_TOPICS, callbacks.TOPICS),
                _button(texts.BUTTON_STAGES, callbacks.STAGES),
            ]
        ]
    )


def feedback(log_id: int) -> InlineKeyboardMarkup:
    """Helpful / not helpful under an answer."""
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.BUTTON_HELPFUL, callbacks.FEEDBACK, log_id, 1),
                _button(texts.BUTTON_NOT_HELPFUL, callbacks.FEEDBACK, log_id, 0),
            ]
        ]
    )


def suggestions(items: Sequence[Suggestion]) -> InlineKeyboardMarkup:
    """One button per suggested entry."""
    return InlineKeyboardMarkup(
        [[_button(_short(s.question), callbacks.SUGGESTION, s.entry_id)] for s in items]
    )


def categories(names: Iterable[str]) -> InlineKeyboardMarkup:
    """Two category buttons per row."""
    buttons = [
        _button(texts.CATEGORY_LABELS.get(name, name), callbacks.CATEGORY, name) for name in names
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def entries(items: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per (slug, question), then a way back to the categories."""
    rows = [[_button(_short(question), callbacks.ENTRY, slug)] for slug, question in items]
    rows.append([_button(texts.BUTTON_BACK, callbacks.TOPICS)])
    return InlineKeyboardMarkup(rows)


def back_to_topics(category: str) -> InlineKeyboardMarkup:
    """Under an answer opened from the topic browser."""
    return InlineKeyboardMarkup([[_button(texts.BUTTON_BACK, callbacks.CATEGORY, category)]])


def areas(chosen: set[int]) -> InlineKeyboardMarkup:
    """Kecamatan toggles for a subscription, then "all" and "done"."""
    rows = [
        [_button(("✅ " if i in chosen else "") + name, callbacks.AREA, i)]
        for i, name in enumerate(texts.KECAMATAN)
    ]
    rows.append(
        [
            _button(texts.BUTTON_ALL_AREAS, callbacks.AREA, "all"),
            _button(texts.BUTTON_DONE, callbacks.AREA, "done"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def confirm_erase() -> InlineKeyboardMarkup:
    """Yes / cancel for /hapusdata."""
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.BUTTON_CONFIRM_ERASE, callbacks.ERASE, "yes"),
                _button(texts.BUTTON_CANCEL, callbacks.ERASE, "no"),
            ]
        ]
    )


def _short(question: str, limit: int = 60) -> str:
    return question if len(question) <= limit else question[: limit - 1].rstrip() + "…"
