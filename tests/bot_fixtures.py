"""Fixtures that run the real bot against the fake Bot API server on a seeded database."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlmodel import Session

from bot.application import build_application
from bot.flood import FloodGuard
from bot.services import BotServices
from knowledge_base.answering.engine import QuestionEngine
from knowledge_base.answering.loader import load_engine
from knowledge_base.core.bootstrap import prepare_database
from knowledge_base.core.db import create_db_engine
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.entries import knowledge_version
from tests.telegram.fake_server import FakeTelegram, running_fake_telegram
from tests.telegram.harness import Citizen, start_polling, stop_polling

OFFICE_PHONE = "0754-61000"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    settings = Settings(_env_file=None, database_url=f"sqlite:///{path}")
    engine = create_db_engine(settings.database_url)
    prepare_database(settings, engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def shared_engine(seeded_template: Path) -> QuestionEngine:
    """One question engine for all bot tests (it is read-only)."""
    db = create_db_engine(f"sqlite:///{seeded_template}")
    with Session(db) as session:
        settings = Settings(
            _env_file=None, cache_dir=seeded_template.parent, office_phone=OFFICE_PHONE
        )
        engine = load_engine(session, settings)
    db.dispose()
    return engine


@pytest.fixture
def fake_telegram() -> Iterator[tuple[FakeTelegram, str]]:
    with running_fake_telegram() as running:
        yield running


def bot_settings(tmp_path: Path, base_url: str, **extra: object) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        telegram_token="123456:TEST",
        telegram_base_url=base_url,
        office_name="KPU Kota Sawahlunto",
        office_phone=OFFICE_PHONE,
        cache_dir=tmp_path,
        **extra,
    )


@pytest_asyncio.fixture
async def bot(
    tmp_path: Path,
    seeded_template: Path,
    shared_engine: QuestionEngine,
    fake_telegram: tuple[FakeTelegram, str],
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[BotServices, FakeTelegram]]:
    """The real Application polling the fake server; yields its services and the fake."""
    fake, base_url = fake_telegram
    shutil.copyfile(seeded_template, tmp_path / "bot.db")
    extra = getattr(request, "param", {})
    settings = bot_settings(tmp_path, base_url, **extra)
    db = create_db_engine(settings.database_url)
    with Session(db) as session:
        version = knowledge_version(session)
    services = BotServices(
        settings=settings,
        db=db,
        engine=shared_engine,
        flood=FloodGuard(settings.flood_burst, settings.flood_window_seconds),
        kb_version=version,
    )
    app = build_application(services)
    await start_polling(app)
    try:
        yield services, fake
    finally:
        await stop_polling(app)
        db.dispose()


def citizen(fake: FakeTelegram, chat_id: int = 5001, **kwargs: object) -> Citizen:
    return Citizen(fake, chat_id, **kwargs)
