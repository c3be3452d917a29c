"""A trained model bound to the live index: re-ranked candidates and P(top is right)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knowledge_base.answering.matcher import Candidate, KnowledgeIndex
from knowledge_base.answering.normalise import NormalisedText
from knowledge_base.answering.ranking.features import pool, question_features
from knowledge_base.answering.ranking.model import RankingModel


@dataclass(frozen=True)
class Ranking:
    """Candidates best first by the re-ranker, with their probabilities and the confidence."""

    candidates: list[Candidate]
    probabilities: list[float]
    confidence: float  # calibrated probability that the first candidate is right
    pair_confidence: float  # ... that the right entry is the first or the second
    trusted: bool  # False when an entry at the top is one the model was not trained on


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


class Ranker:
    """Ranks with the model; entries it does not know as they are now are flagged."""

    def __init__(self, model: RankingModel, index: KnowledgeIndex) -> None:
        self.model = model
        self.index = index
        self.columns = model.columns_for(index.entries)
        self.unknown = frozenset(
            entry.id
            for entry, column in zip(index.entries, self.columns, strict=True)
            if column < 0
        )

    @property
    def threshold(self) -> float:
        return self.model.threshold

    def rank(self, question: NormalisedText, related: bool) -> Ranking | None:
        """``None`` when no entry shares anything with the question."""
        pooled = pool(self.index, self.model.classifier, self.columns, question)
        if not pooled.candidates:
            return None
        probabilities = softmax(self.model.reranker.logits(pooled.features))
        row = question_features(probabilities, pooled, question, related)
        confidence = self.model.calibrator.probability(row)
        pair_confidence = max(confidence, self.model.pair_calibrator.probability(row))
        order = np.argsort(-probabilities, kind="stable")
        candidates = [pooled.candidates[i] for i in order]
        by_score = sorted(pooled.candidates, key=lambda c: -c.score)
        at_top = {c.entry.id for c in candidates[:2]} | {c.entry.id for c in by_score[:2]}
        return Ranking(
            candidates=candidates,
            probabilities=[float(probabilities[i]) for i in order],
            confidence=confidence,
            pair_confidence=pair_confidence,
            trusted=not (at_top & self.unknown),
        )
