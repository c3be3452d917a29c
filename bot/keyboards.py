"""Inline keyboards, each built by a small helper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks, texts
from knowledge_base.answering.engine import Suggestion

SEE_ALSO_CHARS = 48  # the question's share of the "Lihat juga" label


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


def feedback(log_id: int, see_also: Suggestion | None = None) -> InlineKeyboardMarkup:
    """Helpful / not helpful under an answer, then "Lihat juga" when the engine offers a
    close sibling of the answered entry."""
    rows = [
        [
            _button(texts.BUTTON_HELPFUL, callbacks.RateAnswer(log_id, helpful=True)),
            _button(texts.BUTTON_NOT_HELPFUL, callbacks.RateAnswer(log_id, helpful=False)),
        ]
    ]
    if see_also is not None and _fits(callbacks.OpenSeeAlso(see_also.entry_id)):
        label = texts.BUTTON_SEE_ALSO.format(question=_short(see_also.question, SEE_ALSO_CHARS))
        rows.append([_button(label, callbacks.OpenSeeAlso(see_also.entry_id))])
    return InlineKeyboardMarkup(rows)


def suggestions(items: Sequence[Suggestion], log_id: int | None = None) -> InlineKeyboardMarkup:
    """One button per suggested entry; each names the logged question (``log_id``) so that a
    tap can propose it as a phrasing of the tapped entry."""
    return InlineKeyboardMarkup(
        [[_button(_short(s.question), _suggestion(s.entry_id, log_id))] for s in items]
    )


def _suggestion(slug: str, log_id: int | None) -> callbacks.OpenSuggestion:
    tap = callbacks.OpenSuggestion(slug, log_id)
    # A long slug with the log id passes 64 bytes: such a button opens the entry, teaching nothing.
    return tap if _fits(tap) else callbacks.OpenSuggestion(slug)


def _fits(callback: callbacks.Callback) -> bool:
    """Whether ``callback`` can be a button (its data within Telegram's 64 bytes)."""
    try:
        callbacks.build(callback)
    except ValueError:
        return False
    return True


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
    """``question`` within ``limit`` characters, cut after a whole word where one is near."""
    if len(question) <= limit:
        return question
    cut = question[: limit - 1]
    words = cut.rsplit(" ", 1)[0]
    return (words if len(words) > limit // 2 else cut).rstrip(" ,.;:") + "…"
