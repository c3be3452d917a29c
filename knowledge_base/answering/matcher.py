"""Score a question against every phrasing of every entry: fuzzy similarity plus rare-word evidence."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from knowledge_base.answering.normalise import NormalisedText, Normaliser
from knowledge_base.knowledge.records import EntryRecord

CANDIDATES = 48
# A word that appears only in an entry's answer is weaker evidence than one in its phrasings.
ANSWER_TERM_WEIGHT = 0.5


@dataclass(frozen=True)
class Candidate:
    """One entry's score for a question (0–100), with the parts it was made of."""

    entry: EntryRecord
    score: float
    similarity: float
    coverage: float
    overlap: float = 0.0


@dataclass(frozen=True)
class MatchWeights:
    """How fuzzy similarity and keyword coverage combine into one score."""

    similarity: float = 0.3
    coverage: float = 0.3
    overlap: float = 0.4


def _entry_texts(entry: EntryRecord) -> list[str]:
    return [entry.question, *entry.phrasings]


class KnowledgeIndex:
    """The published entries prepared for fast matching; rebuilt when content changes."""

    def __init__(
        self,
        entries: Sequence[EntryRecord],
        normaliser: Normaliser,
        weights: MatchWeights | None = None,
    ) -> None:
        self.entries = list(entries)
        self.normaliser = normaliser
        self.weights = weights or MatchWeights()
        self._positions = {entry.id: position for position, entry in enumerate(self.entries)}
        normaliser.learn(self._vocabulary())
        choices: list[str] = []
        owners: list[int] = []
        phrasing_terms: list[frozenset[str]] = []
        terms: list[dict[str, float]] = [{} for _ in self.entries]
        for position, entry in enumerate(self.entries):
            for term in normaliser.normalise(entry.answer).content:
                terms[position][term] = ANSWER_TERM_WEIGHT
            for text in _entry_texts(entry):
                normalised = normaliser.normalise(text)
                choices.append(normalised.text)
                owners.append(position)
                phrasing_terms.append(frozenset(normalised.content))
                terms[position].update(dict.fromkeys(normalised.content, 1.0))
        self._choices = choices
        self._starts = np.flatnonzero(np.r_[True, np.diff(np.asarray(owners)) != 0])
        self._ends = np.r_[self._starts[1:], len(choices)]
        self._idf, self._postings = self._weigh_terms(terms)
        self._unknown_idf = math.log((len(self.entries) + 1) / 1.0)
        self._phrasing_postings = self._index_phrasings(phrasing_terms)
        self._phrasing_weight = np.asarray(
            [sum(self._idf[t] for t in p) for p in phrasing_terms], dtype=np.float64
        )

    @staticmethod
    def _index_phrasings(phrasing_terms: list[frozenset[str]]) -> dict[str, np.ndarray]:
        owners: dict[str, list[int]] = {}
        for position, phrasing in enumerate(phrasing_terms):
            for term in phrasing:
                owners.setdefault(term, []).append(position)
        return {t: np.asarray(p, dtype=np.intp) for t, p in owners.items()}

    def _vocabulary(self) -> set[str]:
        words: set[str] = set()
        for entry in self.entries:
            for text in (entry.question, entry.answer):
                words.update(self.normaliser.clean(text).split())
        return words

    def _weigh_terms(
        self, terms: list[dict[str, float]]
    ) -> tuple[dict[str, float], dict[str, tuple[np.ndarray, np.ndarray]]]:
        owners: dict[str, list[tuple[int, float]]] = {}
        for position, entry_terms in enumerate(terms):
            for term, weight in entry_terms.items():
                owners.setdefault(term, []).append((position, weight))
        total = len(terms)
        idf = {t: math.log((total + 1) / (len(p) + 0.5)) for t, p in owners.items()}
        postings = {
            t: (np.asarray([i for i, _ in p], dtype=np.intp), np.asarray([w for _, w in p]))
            for t, p in owners.items()
        }
        return idf, postings

    def __len__(self) -> int:
        return len(self.entries)

    def position(self, entry_id: str) -> int:
        """Where the entry with this id sits in ``entries``."""
        return self._positions[entry_id]

    def idf(self, term: str) -> float:
        """How rare ``term`` is across entries (unknown words count as rarest)."""
        return self._idf.get(term, self._unknown_idf)

    def similarity(self, question: NormalisedText, candidates: np.ndarray) -> np.ndarray:
        """Best fuzzy similarity (0–100) of the question to each candidate entry's phrasings."""
        spans = [(self._starts[i], self._ends[i]) for i in candidates]
        choices = [text for start, end in spans for text in self._choices[start:end]]
        if not choices:
            return np.zeros(0)
        # Set ratio forgives extra words; sort ratio penalises them: their mean balances both.
        scores = (
            process.cdist([question.text], choices, scorer=fuzz.token_set_ratio, dtype=np.float32)[
                0
            ]
            + process.cdist(
                [question.text], choices, scorer=fuzz.token_sort_ratio, dtype=np.float32
            )[0]
        ) / 2
        offsets = np.cumsum([0] + [end - start for start, end in spans[:-1]])
        return np.maximum.reduceat(scores, offsets)

    def coverage(self, question: NormalisedText) -> np.ndarray:
        """Share (0–1) of the question's rarity-weighted words each entry also uses."""
        terms = set(question.content)
        total = sum(self.idf(t) for t in terms)
        covered = np.zeros(len(self.entries))
        if total == 0:
            return covered
        for term in terms:
            if term in self._postings:
                positions, weights = self._postings[term]
                covered[positions] += self._idf[term] * weights
        return covered / total

    def overlap(self, question: NormalisedText) -> np.ndarray:
        """Best rarity-weighted Dice overlap (0–1) between the question and each entry's phrasings.

        Unlike coverage it also counts what a phrasing has that the question lacks, so the
        phrasing that says exactly what was asked wins over one that merely contains it.
        """
        terms = set(question.content)
        shared = np.zeros(len(self._choices))
        for term in terms:
            if term in self._phrasing_postings:
                shared[self._phrasing_postings[term]] += self._idf[term]
        total = sum(self.idf(t) for t in terms) + self._phrasing_weight
        dice = np.divide(2 * shared, total, out=np.zeros_like(shared), where=total > 0)
        return np.maximum.reduceat(dice, self._starts)

    def rank(self, question: NormalisedText, limit: int = 5) -> list[Candidate]:
        """The best entries for ``question``, highest score first.

        Only entries sharing at least one word with the question are compared by fuzzy
        similarity (the best ``CANDIDATES`` by coverage), which keeps latency flat as the
        knowledge base grows; typos were already repaired by the normaliser.
        """
        return self.rank_with(question, limit, lambda ranked: [])[0]

    def rank_with(
        self,
        question: NormalisedText,
        limit: int,
        more: Callable[[list[Candidate]], Sequence[int]],
    ) -> tuple[list[Candidate], list[Candidate]]:
        """The best entries, and the scores of the further entries ``more(best)`` names
        (positions), computing the question's keyword evidence once for both."""
        if not self.entries or not question.content:
            return [], []
        coverage = self.coverage(question)
        overlap = self.overlap(question)
        candidates = top_indices(coverage, CANDIDATES)
        candidates = candidates[coverage[candidates] > 0]
        ranked: list[Candidate] = []
        if len(candidates):
            scored = self._score(question, candidates, coverage, overlap)
            order = sorted(range(len(scored)), key=lambda i: -scored[i].score)[:limit]
            ranked = [scored[i] for i in order]
        extra = np.asarray(list(more(ranked)), dtype=np.intp)
        return ranked, self._score(question, extra, coverage, overlap) if len(extra) else []

    def _score(
        self,
        question: NormalisedText,
        candidates: np.ndarray,
        coverage: np.ndarray,
        overlap: np.ndarray,
    ) -> list[Candidate]:
        similarity = self.similarity(question, candidates)
        picked = overlap[candidates]
        weights = self.weights
        scores = (
            weights.similarity * similarity
            + weights.coverage * 100 * coverage[candidates]
            + weights.overlap * 100 * picked
        )
        return [
            Candidate(
                entry=self.entries[candidates[i]],
                score=round(float(scores[i]), 2),
                similarity=round(float(similarity[i]), 2),
                coverage=round(float(coverage[candidates[i]]), 4),
                overlap=round(float(picked[i]), 4),
            )
            for i in range(len(candidates))
        ]


def top_indices(values: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` largest values, largest first."""
    count = min(count, len(values))
    if count == 0:
        return np.zeros(0, dtype=np.intp)
    best = np.argpartition(-values, count - 1)[:count]
    return best[np.argsort(-values[best], kind="stable")]
