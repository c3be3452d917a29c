"""The storage layer keeps timestamps in UTC, enforces keys and survives both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from knowledge_base.conversations.models import Chat, QuestionLog
from knowledge_base.core.db import create_db_engine, session_scope
from knowledge_base.knowledge.models import ElectionStage

JAKARTA = timezone(timedelta(hours=7))


def test_timestamps_come_back_timezone_aware_in_utc(engine: Engine) -> None:
    seen = datetime(2024, 2, 14, 7, 0, tzinfo=JAKARTA)
    with session_scope(engine) as session:
        session.add(Chat(telegram_chat_id=1, first_seen_at=seen, last_seen_at=seen))

    with Session(engine) as session:
        chat = session.exec(select(Chat)).one()

    assert chat.first_seen_at == seen
    assert chat.first_seen_at.tzinfo is not None
    assert chat.first_seen_at.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="naive datetime"), session_scope(engine) as session:
        session.add(Chat(telegram_chat_id=1, first_seen_at=datetime(2024, 2, 14, 7, 0)))


def test_telegram_chat_ids_beyond_32_bits_are_stored(engine: Engine) -> None:
    supergroup_id = -1001234567890
    with session_scope(engine) as session:
        session.add(Chat(telegram_chat_id=supergroup_id, kind="supergroup"))

    with Session(engine) as session:
        assert session.exec(select(Chat.telegram_chat_id)).one() == supergroup_id


def test_a_chat_is_stored_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(Chat(telegram_chat_id=42))

    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Chat(telegram_chat_id=42))


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(
            QuestionLog(chat_id=999, masked_text="x", normalised_text="x", outcome="answer")
        )


def test_deleting_a_chat_keeps_its_questions_unlinked(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = Chat(telegram_chat_id=7)
        session.add(chat)
        session.flush()
        session.add(
            QuestionLog(chat_id=chat.id, masked_text="q", normalised_text="q", outcome="answer")
        )

    with session_scope(engine) as session:
        session.delete(session.exec(select(Chat)).one())

    with Session(engine) as session:
        log = session.exec(select(QuestionLog)).one()
    assert log.chat_id is None


def test_a_stage_name_is_unique_within_its_election(engine: Engine) -> None:
    stage = {"election": "Pemilu 2024", "stage": "Pemungutan suara"}
    day = date(2024, 2, 14)
    with session_scope(engine) as session:
        session.add(ElectionStage(**stage, starts_on=day, ends_on=day))

    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(ElectionStage(**stage, starts_on=day, ends_on=day))


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'nested' / 'wal.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_utc_now_is_stored_without_loss(engine: Engine) -> None:
    now = datetime.now(UTC).replace(microsecond=123456)
    with session_scope(engine) as session:
        session.add(Chat(telegram_chat_id=3, last_seen_at=now))

    with Session(engine) as session:
        assert session.exec(select(Chat.last_seen_at)).one() == now
