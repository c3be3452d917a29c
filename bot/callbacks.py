"""Callback data: every button payload is built and strictly parsed here (Telegram allows 64 bytes).

A payload is ``kind[:arg...]`` and each kind has one exact shape, listed below. Anyone can send
a forged payload, so :func:`parse` turns everything that does not fit — an unknown kind, the
wrong number of arguments, a non-ASCII digit, a number out of range, an oversized payload —
into ``None``; handlers receive only the typed values of a button this bot could have made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from knowledge_base.staffgroup.cards import CardTap, card_button_data, parse_card_button


class Kind(StrEnum):
    """The first field of every payload, with the arguments that follow it."""

    SUGGESTION = "s"  # s:<question log id>:<entry slug>, or s:<entry slug> (older buttons)
    FEEDBACK = "f"  # f:<question log id 1..2^31-1>:<1|0>
    TOPICS = "t"  # t
    CATEGORY = "c"  # c:<category slug>
    ENTRY = "e"  # e:<entry slug>
    AREA = "a"  # a:<index into the area list|all|done>
    ERASE = "x"  # x:<yes|no>
    STAGES = "g"  # g
    SEE_ALSO = "l"  # l:<entry slug>, "Lihat juga" under an answer
    CARD = (
        "q"  # q:<take|dismiss|draft>:<question id>, a staff-group card (knowledge_base.staffgroup)
    )


MAX_BYTES = 64
MAX_ID = 2**31 - 1  # question log ids are PostgreSQL integers
_SEPARATOR = ":"
# ASCII only, and no sign, spaces or underscores: int() alone would accept "١", " 1" and "1_0".
_ID = re.compile(r"[1-9][0-9]{0,9}")
_INDEX = re.compile(r"0|[1-9][0-9]{0,2}")
# The id pattern of entries and categories in knowledge_base/records.py.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FLAGS = {"1": True, "0": False}
_ERASE = {"yes": True, "no": False}


@dataclass(frozen=True)
class OpenSuggestion:
    """A suggested entry was tapped, under the suggestions for the question logged as
    ``log_id`` (``None`` on buttons made before suggestions carried it)."""

    slug: str
    log_id: int | None = None


@dataclass(frozen=True)
class OpenSeeAlso:
    """The "Lihat juga" entry under an answer was tapped."""

    slug: str


@dataclass(frozen=True)
class RateAnswer:
    """Helpful / not helpful under the answer logged as ``log_id``."""

    log_id: int
    helpful: bool


@dataclass(frozen=True)
class ShowTopics:
    """Back to the list of categories."""


@dataclass(frozen=True)
class ShowCategory:
    """The entries of one category."""

    category: str


@dataclass(frozen=True)
class OpenEntry:
    """One entry opened from the topic browser."""

    slug: str


@dataclass(frozen=True)
class ToggleArea:
    """Choose or unchoose the area at ``index`` of the configured list."""

    index: int


@dataclass(frozen=True)
class FinishAreas:
    """Save the subscription: every area (``all_areas``) or the chosen ones."""

    all_areas: bool


@dataclass(frozen=True)
class ConfirmErase:
    """The answer to the /hapusdata confirmation."""

    confirmed: bool


@dataclass(frozen=True)
class ShowStages:
    """The menu's stage button."""


class StaleButton(Exception):
    """A well-formed button whose target is gone or is not the tapper's; nothing was changed."""


Callback = (
    OpenSuggestion
    | OpenSeeAlso
    | RateAnswer
    | ShowTopics
    | ShowCategory
    | OpenEntry
    | ToggleArea
    | FinishAreas
    | ConfirmErase
    | ShowStages
    | CardTap
)


def build(callback: Callback) -> str:
    """Encode a callback; raises ``ValueError`` if :func:`parse` would not give it back."""
    data = _SEPARATOR.join(_encode(callback))
    # The area list belongs to the caller: any index it asks for is one it has.
    area_count = callback.index + 1 if isinstance(callback, ToggleArea) else 0
    if parse(data, area_count=area_count) != callback:
        raise ValueError(f"not a valid callback (or longer than {MAX_BYTES} bytes): {data!r}")
    return data


def parse(data: str | None, *, area_count: int) -> Callback | None:
    """Decode callback data; ``None`` for anything this bot could not have created.

    ``area_count`` is the length of the current area list: an area index must fall inside it.
    """
    # Every payload this bot makes is ASCII, so characters count as bytes.
    if not data or len(data) > MAX_BYTES or not data.isascii():
        return None
    kind, *args = data.split(_SEPARATOR)
    match kind, args:
        case (Kind.SUGGESTION, [slug]) if _SLUG.fullmatch(slug):
            return OpenSuggestion(slug)
        case (Kind.SUGGESTION, [log_id, slug]) if _ID.fullmatch(log_id) and _SLUG.fullmatch(slug):
            return OpenSuggestion(slug, int(log_id)) if int(log_id) <= MAX_ID else None
        case (Kind.SEE_ALSO, [slug]) if _SLUG.fullmatch(slug):
            return OpenSeeAlso(slug)
        case (Kind.ENTRY, [slug]) if _SLUG.fullmatch(slug):
            return OpenEntry(slug)
        case (Kind.CATEGORY, [category]) if _SLUG.fullmatch(category):
            return ShowCategory(category)
        case (Kind.FEEDBACK, [log_id, flag]) if _ID.fullmatch(log_id) and flag in _FLAGS:
            return RateAnswer(int(log_id), _FLAGS[flag]) if int(log_id) <= MAX_ID else None
        case (Kind.AREA, ["all" | "done" as choice]):
            return FinishAreas(all_areas=choice == "all")
        case (Kind.AREA, [index]) if _INDEX.fullmatch(index):
            return ToggleArea(int(index)) if int(index) < area_count else None
        case (Kind.ERASE, [answer]) if answer in _ERASE:
            return ConfirmErase(_ERASE[answer])
        case (Kind.TOPICS, []):
            return ShowTopics()
        case (Kind.STAGES, []):
            return ShowStages()
        case (Kind.CARD, [_action, _question_id]):
            return parse_card_button(data)
    return None


def _encode(callback: Callback) -> tuple[str, ...]:
    match callback:
        case OpenSuggestion(slug, None):
            return Kind.SUGGESTION, slug
        case OpenSuggestion(slug, log_id):
            return Kind.SUGGESTION, str(log_id), slug
        case OpenSeeAlso(slug):
            return Kind.SEE_ALSO, slug
        case RateAnswer(log_id, helpful):
            return Kind.FEEDBACK, str(log_id), "1" if helpful else "0"
        case ShowTopics():
            return (Kind.TOPICS,)
        case ShowCategory(category):
            return Kind.CATEGORY, category
        case OpenEntry(slug):
            return Kind.ENTRY, slug
        case ToggleArea(index):
            return Kind.AREA, str(index)
        case FinishAreas(all_areas):
            return Kind.AREA, "all" if all_areas else "done"
        case ConfirmErase(confirmed):
            return Kind.ERASE, "yes" if confirmed else "no"
        case ShowStages():
            return (Kind.STAGES,)
        case CardTap(action, question_id):
            return tuple(card_button_data(action, question_id).split(_SEPARATOR))
    raise TypeError(f"not a callback: {callback!r}")
