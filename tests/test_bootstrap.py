"""Start-up prepares the database and creates the first administrator once."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge_base.core import migrations
from knowledge_base.core.bootstrap import prepare_database
from knowledge_base.core.db import create_db_engine
from knowledge_base.core.settings import Settings
from knowledge_base.staff.accounts import verify_password
from knowledge_base.staff.models import StaffRole, StaffUser


def _settings(url: str, **extra: object) -> Settings:
    return Settings(database_url=url, _env_file=None, **extra)


def test_prepare_migrates_an_empty_database(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        prepared = prepare_database(_settings(empty_database_url), engine)

        assert prepared.migrated
        assert migrations.is_up_to_date(engine, empty_database_url)
    finally:
        engine.dispose()


def test_prepare_leaves_an_up_to_date_database_alone(database_url: str, engine: Engine) -> None:
    prepared = prepare_database(_settings(database_url), engine)

    assert not prepared.migrated


def test_configured_admin_is_created_with_a_hashed_password(
    database_url: str, engine: Engine
) -> None:
    settings = _settings(database_url, admin_username="ppid", admin_password="rahasia-123")

    prepared = prepare_database(settings, engine)

    with Session(engine) as session:
        admin = session.exec(select(StaffUser)).one()
    assert prepared.admin_created
    assert admin.role == StaffRole.ADMIN
    assert admin.password_hash != "rahasia-123"
    assert verify_password("rahasia-123", admin.password_hash)


def test_admin_bootstrap_does_nothing_once_staff_exist(database_url: str, engine: Engine) -> None:
    settings = _settings(database_url, admin_username="ppid", admin_password="rahasia-123")
    prepare_database(settings, engine)

    again = prepare_database(
        _settings(database_url, admin_username="x", admin_password="y-rahasia-123"), engine
    )

    with Session(engine) as session:
        assert session.exec(select(StaffUser.username)).all() == ["ppid"]
    assert not again.admin_created


def test_questions_older_than_the_retention_period_are_purged(
    database_url: str, engine: Engine
) -> None:
    from datetime import timedelta

    from knowledge_base.conversations.models import QuestionLog
    from knowledge_base.core.columns import utcnow
    from knowledge_base.core.db import session_scope

    with session_scope(engine) as session:
        for age in (400, 10):
            session.add(
                QuestionLog(
                    masked_text=f"{age}",
                    normalised_text="x",
                    outcome="answer",
                    asked_at=utcnow() - timedelta(days=age),
                )
            )

    prepare_database(_settings(database_url, question_retention_days=365), engine)

    with Session(engine) as session:
        assert session.exec(select(QuestionLog.masked_text)).all() == ["10"]
