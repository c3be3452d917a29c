"""The HTML subset Telegram accepts: validation, so a bad announcement is refused at saving,
and a safe rendering of it for a browser (the staff console's preview)."""

from __future__ import annotations

from html import escape, unescape
from html.parser import HTMLParser

ALLOWED_TAGS = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "a": {"href"},
    "code": {"class"},
    "pre": set(),
    "tg-spoiler": set(),
    "span": {"class"},
    "blockquote": {"expandable"},
}
MAX_LENGTH = 4096
LINK_SCHEMES = ("http://", "https://", "tg://")


def _safe_link(href: str | None) -> bool:
    # Browsers ignore control characters and spaces inside a scheme ("java\tscript:"), so
    # the check reads the link with them removed.
    cleaned = "".join(ch for ch in unescape(href or "") if ch.isprintable() and not ch.isspace())
    return cleaned.lower().startswith(LINK_SCHEMES)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> tidak didukung Telegram")
            return
        for name, value in attrs:
            if name not in ALLOWED_TAGS[tag]:
                self.problems.append(f"atribut {name!r} tidak boleh pada <{tag}>")
            elif name == "href" and not _safe_link(value):
                self.problems.append("tautan hanya boleh berawalan http://, https:// atau tg://")
        if tag == "span" and ("class", "tg-spoiler") not in attrs:
            self.problems.append('<span> hanya boleh dengan class="tg-spoiler"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"penutup </{tag}> tidak sesuai")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for symbol, entity in (("<", "&lt;"), (">", "&gt;"), ("&", "&amp;")):
            if symbol in data:
                self.problems.append(f"tanda {symbol} harus ditulis {entity}")

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.problems.append(f"entitas &{name}; tidak didukung Telegram")


def html_problems(text: str) -> list[str]:
    """Why ``text`` would be refused by Telegram's HTML parse mode (empty when it is fine)."""
    if not text.strip():
        return ["isi pengumuman kosong"]
    if len(text) > MAX_LENGTH:
        return [f"isi lebih dari {MAX_LENGTH} karakter"]
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems = list(checker.problems)
    if checker.stack:
        problems.append(f"tag <{checker.stack[-1]}> tidak ditutup")
    return problems


# Telegram's own tags a browser does not know, as the browser markup that looks like them.
_BROWSER_TAGS = {
    "tg-spoiler": ("span", ' class="tg-spoiler"'),
    "span": ("span", ' class="tg-spoiler"'),
}


class _Preview(HTMLParser):
    """Re-emits Telegram HTML for a browser: allowed tags and links only, every text escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[tuple[str, str]] = []  # (Telegram tag, browser tag) still open

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            return
        name, extra = _BROWSER_TAGS.get(tag, (tag, ""))
        if tag == "a":
            href = dict(attrs).get("href")
            if _safe_link(href):
                extra = f' href="{escape(href or "")}" rel="noopener noreferrer" target="_blank"'
        elif tag == "code":
            language = dict(attrs).get("class")
            extra = f' class="{escape(language)}"' if language else ""
        self.parts.append(f"<{name}{extra}>")
        self.open.append((tag, name))

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][0] == tag:
            self.parts.append(f"</{self.open.pop()[1]}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(escape(data, quote=False))

    def close(self) -> None:
        super().close()
        while self.open:
            self.parts.append(f"</{self.open.pop()[1]}>")


def preview_html(text: str) -> str:
    """``text`` (Telegram HTML) as markup a browser may show as is: only Telegram's tags and
    safe links survive, spoilers become ``<span class="tg-spoiler">``; line breaks stay as
    newlines (show them with ``white-space: pre-wrap``)."""
    preview = _Preview()
    preview.feed(text)
    preview.close()
    return "".join(preview.parts)
