"""Build a ready question engine from the database and the settings."""

from __future__ import annotations

import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge_base.answering.domain_rules import DomainRules, load_domain_rules
from knowledge_base.answering.engine import Office, QuestionEngine, Thresholds
from knowledge_base.answering.lexicon import Lexicon, load_lexicon
from knowledge_base.answering.matcher import KnowledgeIndex
from knowledge_base.answering.normalise import Normaliser
from knowledge_base.answering.stem_cache import load_stems, save_stems
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.entries import entry_to_record, knowledge_version, stage_to_record
from knowledge_base.knowledge.models import ElectionStage, EntryStatus, KnowledgeEntry

STEM_CACHE_FILENAME = "stems.json"


def office_from(settings: Settings) -> Office:
    """The office details configured in ``settings``."""
    return Office(
        name=settings.office_name,
        address=settings.office_address,
        phone=settings.office_phone,
        website=settings.office_website,
    )


def thresholds_from(settings: Settings) -> Thresholds:
    """The matcher thresholds configured in ``settings``."""
    return Thresholds(
        answer=settings.answer_threshold,
        margin=settings.answer_margin,
        suggest=settings.suggest_threshold,
    )


def load_engine(
    session: Session,
    settings: Settings,
    *,
    lexicon: Lexicon | None = None,
    rules: DomainRules | None = None,
) -> QuestionEngine:
    """An engine over the published entries and every stage currently in the database."""
    entries = session.exec(
        select(KnowledgeEntry)
        .where(KnowledgeEntry.status == EntryStatus.PUBLISHED)
        .order_by(KnowledgeEntry.id)
    ).all()
    stages = session.exec(select(ElectionStage).order_by(ElectionStage.starts_on)).all()
    cache_path = settings.cache_dir / STEM_CACHE_FILENAME
    cached = load_stems(cache_path)
    normaliser = Normaliser(lexicon or load_lexicon(), stems=cached)
    index = KnowledgeIndex([entry_to_record(e) for e in entries], normaliser)
    if len(normaliser.stems) > len(cached):
        save_stems(cache_path, normaliser.stems)
    return QuestionEngine(
        index,
        rules or load_domain_rules(),
        [stage_to_record(s) for s in stages],
        office=office_from(settings),
        zone=settings.zone,
        thresholds=thresholds_from(settings),
        max_chars=settings.max_question_chars,
    )


class EngineCache:
    """The one question engine of a process, rebuilt only after the content changed.

    ``current()`` never touches the database; ``refresh()`` (blocking: run it in a thread
    from async code) reads the version counter and, when it moved, builds a new engine and
    swaps it in, so readers keep answering with the old one while it is built.
    """

    def __init__(
        self,
        settings: Settings,
        db: Engine,
        *,
        engine: QuestionEngine | None = None,
        version: int | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self._engine = engine
        self._version = version
        self._lock = threading.Lock()

    @property
    def version(self) -> int | None:
        """The content version of the current engine."""
        return self._version

    def current(self) -> QuestionEngine:
        """The engine built last (built now if there is none yet)."""
        if self._engine is None:
            self.refresh()
        assert self._engine is not None
        return self._engine

    def refresh(self) -> bool:
        """Rebuild when the database's content version moved; whether it did."""
        with self._lock:  # one rebuild at a time; a second caller finds it done
            with Session(self.db) as session:
                version = knowledge_version(session)
                if self._engine is not None and version == self._version:
                    return False
                engine = load_engine(session, self.settings)
            self._engine, self._version = engine, version
            return True
