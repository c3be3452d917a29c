"""Alembic is the only way the schema is made, and it matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import knowledge_base.tables  # noqa: F401  (registers every table)
from knowledge_base.core import migrations
from knowledge_base.core.db import create_db_engine


def _schema_differences(url: str) -> list[object]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def _table_names(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_head_yields_exactly_the_models_schema(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)

    assert _schema_differences(empty_database_url) == []


def test_upgrade_creates_every_model_table(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)

    assert set(SQLModel.metadata.tables) <= _table_names(empty_database_url)


def test_downgrade_base_removes_every_table(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)

    migrations.downgrade(empty_database_url, "base")

    assert _table_names(empty_database_url) == {"alembic_version"}


def test_upgrade_after_downgrade_base_restores_the_schema(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    migrations.downgrade(empty_database_url, "base")

    migrations.upgrade(empty_database_url)

    assert _schema_differences(empty_database_url) == []


def test_fresh_database_reports_it_needs_migrating(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        assert not migrations.is_up_to_date(engine, empty_database_url)
        migrations.upgrade(empty_database_url)
        assert migrations.is_up_to_date(engine, empty_database_url)
    finally:
        engine.dispose()


def test_the_light_head_lookup_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    config = migrations.alembic_config("sqlite://")

    assert migrations.head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_upgrading_keeps_every_row_that_points_at_a_rebuilt_table(empty_database_url) -> None:
    """Batch mode rebuilds kb_entry, staff_user and unanswered_question on SQLite; the rows
    pointing at them (question log, askers, assignments) must survive the upgrade."""
    url = empty_database_url
    migrations.upgrade(url, "0004")
    at = "2026-11-01 08:00:00+00:00"
    engine = create_db_engine(url)
    with engine.begin() as conn:
        for statement in (
            "INSERT INTO chat (id, telegram_chat_id, kind, first_seen_at, last_seen_at,"
            " subscribed, subscription_areas, blocked, language)"
            " VALUES (1, 501, 'private', :at, :at, false, '[]', false, 'id')",
            "INSERT INTO staff_user (id, username, full_name, password_hash, role, is_active,"
            " created_at) VALUES (4, 'ppid1', '', 'x', 'staff', true, :at)",
            "INSERT INTO kb_entry (id, slug, category, question, phrasings, answer,"
            " legal_source, reviewed_on, status, version, created_at, updated_at) VALUES"
            " (9, 'cek-dpt', 'pemilih', 'Cek DPT?', '[]', 'Buka situs.', 'PKPU', '2026-11-01',"
            " 'published', 1, :at, :at)",
            "INSERT INTO question_log (chat_id, masked_text, normalised_text, outcome, entry_id,"
            " score, latency_ms, channel, asked_at)"
            " VALUES (1, 'cek dpt', 'cek dpt', 'answer', 9, 90, 1, 'telegram', :at)",
            "INSERT INTO unanswered_question (id, status, masked_text, normalised_text,"
            " ask_count, first_asked_at, last_asked_at, assigned_to_id)"
            " VALUES (3, 'open', 'kapan?', 'kapan', 1, :at, :at, 4)",
            "INSERT INTO unanswered_asker (question_id, chat_id, masked_text, asked_at)"
            " VALUES (3, 1, 'kapan?', :at)",
        ):
            conn.execute(text(statement), {"at": at})

    migrations.upgrade(url)

    with engine.connect() as conn:
        links = (
            conn.execute(text("SELECT entry_id FROM question_log")).scalar_one(),
            conn.execute(text("SELECT assigned_to_id FROM unanswered_question")).scalar_one(),
            conn.execute(text("SELECT count(*) FROM unanswered_asker")).scalar_one(),
        )
    engine.dispose()
    assert links == (9, 4, 1)
