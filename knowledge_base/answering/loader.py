"""Build a ready question engine from the database and the settings."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge_base.answering.domain_rules import DomainRules, load_domain_rules
from knowledge_base.answering.engine import Office, QuestionEngine, Thresholds
from knowledge_base.answering.lexicon import Lexicon, load_lexicon
from knowledge_base.answering.matcher import KnowledgeIndex
from knowledge_base.answering.normalise import Normaliser
from knowledge_base.answering.ranking.model import RankingModel, entry_fingerprint, load_model
from knowledge_base.answering.ranking.ranker import Ranker
from knowledge_base.answering.ranking.retraining import matches, model_path, train_model
from knowledge_base.answering.stem_cache import load_stems, save_stems
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.entries import entry_to_record, knowledge_version, stage_to_record
from knowledge_base.knowledge.models import ElectionStage, EntryStatus, KnowledgeEntry

STEM_CACHE_FILENAME = "stems.json"

logger = logging.getLogger(__name__)


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
    model: RankingModel | None = None,
) -> QuestionEngine:
    """An engine over the published entries and every stage currently in the database.

    The ranking model is read from the cache directory unless given; without one (or with
    ``ranking_model`` off) the score rule decides.
    """
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
    if settings.ranking_model and model is None:
        model = load_model(model_path(settings))
    ranker = Ranker(model, index) if settings.ranking_model and model is not None else None
    return QuestionEngine(
        index,
        rules or load_domain_rules(),
        [stage_to_record(s) for s in stages],
        office=office_from(settings),
        zone=settings.zone,
        thresholds=thresholds_from(settings),
        max_chars=settings.max_question_chars,
        ranker=ranker,
        answer_confidence=settings.answer_confidence,
    )


def needs_training(engine: QuestionEngine) -> bool:
    """Whether the engine's model is missing or was trained on other entries."""
    model = engine.ranker.model if engine.ranker is not None else None
    return not matches(model, engine.index.entries)


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
        self._trainer: threading.Thread | None = None
        self._trained_for: frozenset[tuple[str, str]] | None = None

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
        """Rebuild when the database's content version moved; whether it did.

        A rebuilt engine whose model does not match its entries starts a background
        retraining; the new model is swapped in when it is ready.
        """
        with self._lock:  # one rebuild at a time; a second caller finds it done
            with Session(self.db) as session:
                version = knowledge_version(session)
                if self._engine is not None and version == self._version:
                    return False
                engine = load_engine(session, self.settings)
            self._engine, self._version = engine, version
        self._maybe_retrain(engine)
        return True

    def retrain_now(self) -> None:
        """Train for the current entries in this thread and swap the new model in."""
        engine = self.current()
        model = train_model(engine.index.entries, self.settings)
        self._swap_model(model)

    def wait_for_training(self, timeout: float | None = None) -> bool:
        """Wait for a background retraining (tests and the CLI); whether none is running."""
        trainer = self._trainer
        if trainer is not None:
            trainer.join(timeout)
            return not trainer.is_alive()
        return True

    def _maybe_retrain(self, engine: QuestionEngine) -> None:
        settings = self.settings
        if not (settings.ranking_model and settings.retrain_in_background):
            return
        if not engine.index.entries or not needs_training(engine):
            return
        wanted = frozenset((e.id, entry_fingerprint(e)) for e in engine.index.entries)
        if wanted == self._trained_for or (self._trainer and self._trainer.is_alive()):
            return  # trained (or failed) for exactly these entries already, or training now
        self._trained_for = wanted
        self._trainer = threading.Thread(
            target=self._train,
            args=(list(engine.index.entries),),
            name="model-training",
            daemon=True,
        )
        self._trainer.start()

    def _train(self, entries: list) -> None:
        try:
            model = train_model(entries, self.settings)
        except ValueError as error:  # e.g. too few entries to learn from
            logger.info("no ranking model: %s", error)
            return
        except Exception:  # the score rule keeps deciding; the next content change retries
            logger.exception("training the ranking model failed")
            return
        self._swap_model(model)

    def _swap_model(self, model: RankingModel) -> None:
        with self._lock:
            with Session(self.db) as session:
                version = knowledge_version(session)
                engine = load_engine(session, self.settings, model=model)
            self._engine, self._version = engine, version
        logger.info(
            "ranking model swapped in: %d entries, threshold %.3f, trained in %.1f s",
            len(model.entry_ids),
            model.threshold,
            model.report.get("training_seconds", 0.0),
        )
        self._maybe_retrain(engine)  # the content may have moved on while it trained
