"""What every handler needs, stored once in ``application.bot_data``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram.ext import ContextTypes

from bot.flood import FloodGuard
from knowledge_base.engine import QuestionEngine
from knowledge_base.importer import knowledge_version
from knowledge_base.loader import load_engine
from knowledge_base.office import OfficeContent, office_content
from knowledge_base.settings import Settings

SERVICES_KEY = "services"
# How often a running bot looks for knowledge-base changes made by other processes (the API).
RELOAD_CHECK_SECONDS = 2.0


@dataclass
class BotServices:
    """Settings, the database, the question engine and per-process guards."""

    settings: Settings
    db: Engine
    engine: QuestionEngine
    flood: FloodGuard
    clock: Callable[[], float] = time.monotonic
    username: str = ""
    # Areas chosen so far in an open /langganan menu, per chat.
    pending_areas: dict[int, set[int]] = field(default_factory=dict)
    kb_version: int = 0
    office: OfficeContent | None = None  # from the settings' office content file when None
    _checked_at: float = field(default=float("-inf"))

    def __post_init__(self) -> None:
        if self.office is None:
            self.office = office_content(self.settings)

    def current_engine(self) -> QuestionEngine:
        """The question engine, rebuilt when the knowledge-base version in the database moved."""
        now = self.clock()
        if now - self._checked_at >= RELOAD_CHECK_SECONDS:
            self._checked_at = now
            with self.session() as session:
                version = knowledge_version(session)
                if version != self.kb_version:
                    self.engine = load_engine(session, self.settings)
                    self.kb_version = version
        return self.engine

    def session(self) -> Session:
        """A new database session (use as a context manager)."""
        return Session(self.db, expire_on_commit=False)


def services(context: ContextTypes.DEFAULT_TYPE) -> BotServices:
    """The services of the running application."""
    return context.application.bot_data[SERVICES_KEY]
