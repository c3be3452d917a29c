"""Callback data: short strings built and parsed in one place (Telegram allows 64 bytes)."""

from __future__ import annotations

from dataclasses import dataclass

SUGGESTION = "s"  # s:<entry slug>
FEEDBACK = "f"  # f:<question log id>:<1|0>
TOPICS = "t"  # t
CATEGORY = "c"  # c:<category>
ENTRY = "e"  # e:<entry slug>
AREA = "a"  # a:<index|all|done>
ERASE = "x"  # x:<yes|no>
STAGES = "g"  # g


@dataclass(frozen=True)
class Callback:
    """A parsed callback: its kind and its arguments."""

    kind: str
    args: tuple[str, ...]


def build(kind: str, *args: object) -> str:
    """Encode a callback; raises if Telegram's 64-byte limit would be exceeded."""
    data = ":".join([kind, *(str(a) for a in args)])
    if len(data.encode()) > 64:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse(data: str | None) -> Callback | None:
    """Decode callback data; ``None`` for anything this bot did not create."""
    if not data:
        return None
    kind, *args = data.split(":")
    if kind not in {SUGGESTION, FEEDBACK, TOPICS, CATEGORY, ENTRY, AREA, ERASE, STAGES}:
        return None
    return Callback(kind, tuple(args))
