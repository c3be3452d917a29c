"""What the re-ranker and the calibrator see of a question and its candidate entries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knowledge_base.answering.matcher import Candidate, KnowledgeIndex, top_indices
from knowledge_base.answering.normalise import NormalisedText
from knowledge_base.answering.ranking.classifier import CharClassifier

POOL = 8  # candidates taken from each of the two rankings
CANDIDATE_FEATURES = (
    "score",
    "similarity",
    "coverage",
    "overlap",
    "classifier_probability",
    "classifier_gap",
    "matcher_first",
    "classifier_first",
    "score_gap",
)
QUESTION_FEATURES = (
    "top_probability",
    "probability_margin",
    "top_classifier_probability",
    "top_score",
    "score_margin",
    "content_words",
    "known_ngrams",
    "election_related",
    "matcher_agrees",
    "classifier_agrees",
    "sibling_second",
)


def classifier_text(question: NormalisedText) -> str:
    """The text the character classifier reads: standard words before stemming."""
    return " ".join(question.words)


@dataclass(frozen=True)
class CandidatePool:
    """The union of the matcher's and the classifier's best entries, with their features."""

    candidates: list[Candidate]  # matcher scores for every pooled entry
    features: np.ndarray  # one row per candidate, columns as CANDIDATE_FEATURES
    known_ngrams: float  # share of the question's n-grams the classifier knows


def pool(
    index: KnowledgeIndex,
    classifier: CharClassifier,
    columns: np.ndarray,
    question: NormalisedText,
) -> CandidatePool:
    """Score the pooled candidates; ``columns[p]`` is entry ``p``'s classifier class or -1."""
    text = classifier_text(question)
    log_scores, known = classifier.log_scores_and_known_share(text)
    live = np.full(len(index), -np.inf)
    trained = columns >= 0
    live[trained] = log_scores[columns[trained]]
    finite = np.isfinite(live)
    probability = np.zeros(len(index))
    if finite.any():
        shifted = np.exp(live[finite] - live[finite].max())
        probability[finite] = shifted / shifted.sum()
    best = top_indices(live, POOL)
    by_classifier = [int(p) for p in best if finite[p]]
    chosen: list[int] = []

    def more(ranked: list[Candidate]) -> list[int]:
        chosen.extend(index.position(c.entry.id) for c in ranked)
        return [p for p in by_classifier if p not in chosen]

    ranked, extra_scored = index.rank_with(question, POOL, more)
    candidates = ranked + extra_scored
    chosen += [index.position(c.entry.id) for c in extra_scored]
    if not candidates:
        return CandidatePool([], np.zeros((0, len(CANDIDATE_FEATURES))), known)
    best_live = live[finite].max() if finite.any() else 0.0
    top_score = max(c.score for c in candidates)
    first_by_classifier = by_classifier[0] if by_classifier else -1
    rows = [
        [
            c.score / 100,
            c.similarity / 100,
            c.coverage,
            c.overlap,
            probability[p],
            max(live[p] - best_live, -20.0) / 10 if finite[p] else -2.0,
            float(rank == 0 and bool(ranked)),
            float(p == first_by_classifier),
            (top_score - c.score) / 100,
        ]
        for rank, (c, p) in enumerate(zip(candidates, chosen, strict=True))
    ]
    return CandidatePool(candidates, np.asarray(rows, dtype=np.float64), known)


def question_features(
    probabilities: np.ndarray,
    pooled: CandidatePool,
    question: NormalisedText,
    related: bool,
) -> np.ndarray:
    """One row for the calibrator; ``probabilities`` are the re-ranker's, best first."""
    order = np.argsort(-probabilities)
    top = order[0]
    second = probabilities[order[1]] if len(order) > 1 else 0.0
    scores = sorted((c.score for c in pooled.candidates), reverse=True)
    score_second = scores[1] if len(scores) > 1 else 0.0
    return np.asarray(
        [
            probabilities[top],
            probabilities[top] - second,
            pooled.features[top, 4],
            pooled.candidates[top].score / 100,
            (pooled.candidates[top].score - score_second) / 100,
            min(len(question.content), 15) / 10,
            pooled.known_ngrams,
            float(related),
            pooled.features[top, 6],
            pooled.features[top, 7],
            float(
                len(order) > 1
                and pooled.candidates[order[1]].entry.category
                == pooled.candidates[top].entry.category
            ),
        ]
    )
