"""Train a model for the live entries and store it where every engine finds it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from knowledge_base.answering.domain_rules import DomainRules, load_domain_rules
from knowledge_base.answering.lexicon import Lexicon, load_lexicon
from knowledge_base.answering.normalise import Normaliser
from knowledge_base.answering.ranking.model import (
    MODEL_FILENAME,
    RankingModel,
    entry_fingerprint,
    save_model,
)
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.records import EntryRecord


def model_path(settings: Settings) -> Path:
    """Where the trained model lives: a derived artefact in the cache directory."""
    return settings.cache_dir / MODEL_FILENAME


def matches(model: RankingModel | None, entries: Sequence[EntryRecord]) -> bool:
    """Whether ``model`` was trained on exactly these entries as they are now."""
    if model is None:
        return False
    live = [(e.id, entry_fingerprint(e)) for e in entries]
    return sorted(live) == sorted(zip(model.entry_ids, model.fingerprints, strict=True))


def train_model(
    entries: Sequence[EntryRecord],
    settings: Settings,
    *,
    lexicon: Lexicon | None = None,
    rules: DomainRules | None = None,
) -> RankingModel:
    """Train on ``entries`` and save atomically; scikit-learn is imported only here."""
    from knowledge_base.answering.ranking.training import train

    model = train(
        list(entries),
        Normaliser(lexicon or load_lexicon()),
        rules or load_domain_rules(),
        budget=settings.wrong_answer_budget,
        expected_top_right=settings.expected_top_right,
    )
    save_model(model, model_path(settings))
    return model
