"""Replies are escaped for Telegram HTML and split cleanly at the 4,096-character limit."""

from __future__ import annotations

from bot.formatting import TELEGRAM_LIMIT, escape, split_message
from tests.telegram.fake_server import _valid_telegram_html


def test_user_text_is_escaped_for_html() -> None:
    assert escape("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_short_text_is_one_chunk() -> None:
    assert split_message("halo") == ["halo"]


def test_long_text_splits_at_line_breaks_within_the_limit() -> None:
    text = "\n".join(f"baris {i} " + "x" * 80 for i in range(200))

    chunks = split_message(text)

    assert len(chunks) > 1
    assert all(len(chunk) <= TELEGRAM_LIMIT for chunk in chunks)
    assert "\n".join(chunks) == text


def test_a_single_huge_word_is_cut_without_breaking_an_entity() -> None:
    text = "a" * 4094 + "&amp;" + "b" * 10

    chunks = split_message(text)

    assert chunks[0] == "a" * 4094
    assert chunks[1].startswith("&amp;")


def test_the_fake_server_rejects_invalid_telegram_html() -> None:
    assert _valid_telegram_html("<b>ok</b> &amp; fine")
    assert not _valid_telegram_html("<script>alert(1)</script>")
    assert not _valid_telegram_html("a < b")
    assert not _valid_telegram_html("<b>unclosed")
