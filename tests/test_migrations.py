"""Alembic is the only way the schema is made, and it matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
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
