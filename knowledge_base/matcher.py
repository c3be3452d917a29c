"""Score a question against every phrasing of every entry: fuzzy similarity plus rare-word evidence."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from knowledge_base.normalise import NormalisedText, Normaliser
from knowledge_base.records import EntryRecord


@dataclass(frozen=True)
class Candidate:
    """One entry's score for a question (0–100), with the parts it was made of."""

    entry: EntryRecord
    score: float
    similarity: float
    coverage: float


@dataclass(frozen=True)
class MatchWeights:
    """How fuzzy similarity and keyword coverage combine into one score."""

    similarity: float = 0.5
    coverage: float = 0.5


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
        normaliser.learn(self._vocabulary())
        choices: list[str] = []
        owners: list[int] = []
        terms: list[set[str]] = [set() for _ in self.entries]
        for position, entry in enumerate(self.entries):
            for text in _entry_texts(entry):
                normalised = normaliser.normalise(text)
                choices.append(normalised.text)
                owners.append(position)
                terms[position].update(normalised.content)
        self._choices = choices
        self._starts = np.flatnonzero(np.r_[True, np.diff(np.asarray(owners)) != 0])
        self._idf, self._postings = self._weigh_terms(terms)
        self._unknown_idf = math.log((len(self.entries) + 1) / 0.5)

    def _vocabulary(self) -> set[str]:
        words: set[str] = set()
        for entry in self.entries:
            for text in (entry.question, entry.answer):
                words.update(self.normaliser.clean(text).split())
        return words

    def _weigh_terms(self, terms: list[set[str]]) -> tuple[dict[str, float], dict[str, np.ndarray]]:
        owners: dict[str, list[int]] = {}
        for position, entry_terms in enumerate(terms):
            for term in entry_terms:
                owners.setdefault(term, []).append(position)
        total = len(terms)
        idf = {t: math.log((total + 1) / (len(p) + 0.5)) for t, p in owners.items()}
        postings = {t: np.asarray(p, dtype=np.intp) for t, p in owners.items()}
        return idf, postings

    def __len__(self) -> int:
        return len(self.entries)

    def idf(self, term: str) -> float:
        """How rare ``term`` is across entries (unknown words count as rarest)."""
        return self._idf.get(term, self._unknown_idf)

    def is_known(self, term: str) -> bool:
        """Whether any entry uses ``term``."""
        return term in self._idf

    def similarity(self, question: NormalisedText) -> np.ndarray:
        """Best fuzzy similarity (0–100) of the question to each entry's phrasings."""
        if not self.entries:
            return np.zeros(0)
        scores = process.cdist(
            [question.text], self._choices, scorer=fuzz.token_set_ratio, dtype=np.float32
        )[0]
        return np.maximum.reduceat(scores, self._starts)

    def coverage(self, question: NormalisedText) -> np.ndarray:
        """Share (0–1) of the question's rarity-weighted words each entry also uses."""
        terms = set(question.content)
        total = sum(self.idf(t) for t in terms)
        covered = np.zeros(len(self.entries))
        if total == 0:
            return covered
        for term in terms:
            if term in self._postings:
                covered[self._postings[term]] += self._idf[term]
        return covered / total

    def rank(self, question: NormalisedText, limit: int = 5) -> list[Candidate]:
        """The best entries for ``question``, highest score first."""
        if not self.entries or not question.content:
            return []
        similarity = self.similarity(question)
        coverage = self.coverage(question)
        scores = self.weights.similarity * similarity + self.weights.coverage * 100 * coverage
        count = min(limit, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [
            Candidate(
                entry=self.entries[i],
                score=round(float(scores[i]), 2),
                similarity=round(float(similarity[i]), 2),
                coverage=round(float(coverage[i]), 4),
            )
            for i in best
        ]
