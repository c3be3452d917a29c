"""What every handler needs, stored once in ``application.bot_data``."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram.ext import ContextTypes

from bot.flood import FloodGuard
from knowledge_base.answering.engine import QuestionEngine
from knowledge_base.answering.loader import EngineCache
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.office import OfficeContent, office_content
from knowledge_base.knowledge.office_calendar import OfficeCalendar

logger = logging.getLogger(__name__)
SERVICES_KEY = "services"
# How often a running bot looks for knowledge-base changes made by other processes (the API).
RELOAD_CHECK_SECONDS = 2.0


@dataclass
class BotServices:
    """Settings, the database, the question engine and per-process guards."""

    settings: Settings
    db: Engine
    engine: QuestionEngine | None = None  # the initial engine when no cache is given
    flood: FloodGuard | None = None
    clock: Callable[[], float] = time.monotonic
    username: str = ""
    kb_version: int = 0
    office: OfficeContent | None = None  # from the settings' office content file when None
    engines: EngineCache | None = None  # shared with the staff API by the composition root
    calendar: OfficeCalendar | None = None  # working days, from the office content when None
    _watcher: asyncio.Task | None = None

    def __post_init__(self) -> None:
        if self.office is None:
            self.office = office_content(self.settings)
        if self.calendar is None:
            self.calendar = OfficeCalendar(self.settings.zone, self.office.days_off)
        if self.flood is None:
            self.flood = FloodGuard(self.settings.flood_burst, self.settings.flood_window_seconds)
        if self.engines is None:
            self.engines = EngineCache(
                self.settings, self.db, engine=self.engine, version=self.kb_version
            )

    def current_engine(self) -> QuestionEngine:
        """The question engine (swapped by :meth:`watch_knowledge` when content changes)."""
        return self.engines.current()

    def start_watching(self) -> None:
        """Start :meth:`watch_knowledge` on the running loop."""
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.create_task(self.watch_knowledge(), name="knowledge-watch")

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None

    async def watch_knowledge(self) -> None:
        """Forever: every few seconds, in a worker thread, check whether the content changed
        (also in other processes) and swap in a rebuilt engine; answering never waits."""
        while True:
            await asyncio.sleep(RELOAD_CHECK_SECONDS)
            try:
                await asyncio.to_thread(self.engines.refresh)
            except Exception:  # the old engine keeps answering; the next round tries again
                logger.exception("rebuilding the question engine failed")

    def session(self) -> Session:
        """A new database session (use as a context manager)."""
        return Session(self.db, expire_on_commit=False)


def services(context: ContextTypes.DEFAULT_TYPE) -> BotServices:
    """The services of the running application."""
    return context.application.bot_data[SERVICES_KEY]
