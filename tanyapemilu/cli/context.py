"""Shared set-up for commands that need a ready database and question engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.answering.engine import QuestionEngine
from knowledge_base.answering.loader import load_engine
from knowledge_base.core.bootstrap import prepare_database
from knowledge_base.core.db import create_db_engine
from knowledge_base.core.settings import Settings


@contextmanager
def database(settings: Settings) -> Iterator[Engine]:
    """The configured database, migrated and seeded, disposed of afterwards."""
    engine = create_db_engine(settings.database_url)
    try:
        prepare_database(settings, engine)
        yield engine
    finally:
        engine.dispose()


@contextmanager
def question_engine(settings: Settings) -> Iterator[QuestionEngine]:
    """A question engine over the configured (prepared) database."""
    with database(settings) as engine, Session(engine) as session:
        yield load_engine(session, settings)
