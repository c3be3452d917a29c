"""Turning engine text into safe Telegram HTML, split to Telegram's message limit."""

from __future__ import annotations

import html

TELEGRAM_LIMIT = 4096


def escape(text: str) -> str:
    """Escape user- or content-supplied text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters, at line breaks when possible.

    Chunks never cut an HTML entity (``&amp;``) in two, so each stays valid on its own.
    """
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
            entity = rest.rfind("&", 0, cut)
            if entity != -1 and ";" not in rest[entity:cut]:
                cut = entity
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not chunks:
        chunks.append(rest)
    return chunks
