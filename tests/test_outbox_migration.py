"""Migration 0004 moves announcement deliveries and staff-reply statuses into the outbox, and
its downgrade moves them back."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from knowledge_base.core import migrations
from knowledge_base.core.db import create_db_engine

AT = datetime(2026, 11, 1, 8, 0, tzinfo=UTC).isoformat(sep=" ")


def _seed_at_0003(url: str) -> None:
    engine = create_db_engine(url)
    statements = [
        "INSERT INTO chat (id, telegram_chat_id, kind, first_seen_at, last_seen_at, subscribed,"
        " subscription_areas, blocked, language) VALUES"
        " (1, 501, 'private', :at, :at, true, '[]', false, 'id'),"
        " (2, 502, 'private', :at, :at, true, '[]', false, 'id')",
        "INSERT INTO announcement (id, title, body, audience_areas, status, editor_ids,"
        " created_at, updated_at) VALUES (7, 'Coklit & verifikasi', 'Mulai <b>besok</b>.',"
        " '[]', 'sending', '[]', :at, :at)",
        "INSERT INTO announcement_delivery (announcement_id, occurrence, chat_id, status,"
        " attempts, created_at, sent_at, telegram_message_id) VALUES"
        " (7, 2, 1, 'sent', 1, :at, :at, 44), (7, 2, 2, 'pending', 0, :at, NULL, NULL)",
        "INSERT INTO unanswered_question (id, status, masked_text, normalised_text, ask_count,"
        " first_asked_at, last_asked_at, staff_answer) VALUES"
        " (3, 'answered', 'kapan?', 'kapan', 2, :at, :at, 'Besok.')",
        "INSERT INTO unanswered_asker (question_id, chat_id, masked_text, asked_at,"
        " reply_status, reply_error, replied_at) VALUES"
        " (3, 1, 'kapan?', :at, 'sent', NULL, :at),"
        " (3, 2, 'kapan?', :at, 'blocked', 'Forbidden: bot was blocked by the user', NULL)",
    ]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), {"at": AT})
    engine.dispose()


def _rows(url: str, query: str) -> list[tuple]:
    engine = create_db_engine(url)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(text(query))]
    engine.dispose()
    return rows


def test_deliveries_and_reply_statuses_move_to_the_outbox_and_back(empty_database_url) -> None:
    url = empty_database_url
    migrations.upgrade(url, "0003")
    _seed_at_0003(url)

    migrations.upgrade(url)

    outbox = _rows(
        url,
        "SELECT key, status, chat_id, html, telegram_message_id, last_error FROM outbox_message"
        " ORDER BY key",
    )
    html = "<b>Coklit &amp; verifikasi</b>\n\nMulai <b>besok</b>."
    assert outbox == [
        ("announcement:7:2:chat1", "sent", 1, html, 44, None),
        ("announcement:7:2:chat2", "pending", 2, html, None, None),
        ("answer:q3:chat1", "sent", 1, "", None, None),
        ("answer:q3:chat2", "blocked", 2, "", None, "Forbidden: bot was blocked by the user"),
    ]
    assert _rows(url, "SELECT current_occurrence FROM announcement") == [(2,)]

    migrations.downgrade(url, "0003")

    assert _rows(
        url,
        "SELECT announcement_id, occurrence, chat_id, status FROM announcement_delivery"
        " ORDER BY chat_id",
    ) == [(7, 2, 1, "sent"), (7, 2, 2, "pending")]
    assert _rows(
        url, "SELECT chat_id, reply_status, reply_error FROM unanswered_asker ORDER BY chat_id"
    ) == [(1, "sent", None), (2, "blocked", "Forbidden: bot was blocked by the user")]
