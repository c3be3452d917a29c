"""A multinomial naive Bayes classifier over character n-grams, scored with numpy alone.

Its weights are sparse by construction: an n-gram carries a weight only for the entries whose
phrasings contain it, so size and latency grow with the phrasings, not entries × n-grams.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from knowledge_base.answering.ranking.chargrams import char_ngrams


@dataclass(frozen=True)
class CharClassifier:
    """log P(entry | question) up to a constant, for every entry the model was trained on.

    ``vocabulary`` maps an n-gram to its column; column ``f``'s entries and weights are
    ``classes[indptr[f]:indptr[f + 1]]`` and ``weights[…]`` (log(1 + count / alpha)).
    ``idf`` weighs a question's n-grams; ``norm_bias`` is log(alpha / (total_c + alpha·F))
    per entry, multiplied by the question's total weight; ``prior`` is log P(entry).
    """

    vocabulary: Mapping[str, int]
    idf: np.ndarray
    indptr: np.ndarray
    classes: np.ndarray
    weights: np.ndarray
    norm_bias: np.ndarray
    prior: np.ndarray

    @property
    def size(self) -> int:
        """How many entries (classes) it scores."""
        return len(self.norm_bias)

    def vectorise(self, text: str) -> tuple[np.ndarray, np.ndarray, float]:
        """Known n-gram columns of ``text``, their l2-normalised sublinear tf-idf weights, and
        the share of the text's n-grams the vocabulary knows."""
        columns: list[int] = []
        counts: list[int] = []
        total = 0
        for gram, count in char_ngrams(text).items():
            total += count
            column = self.vocabulary.get(gram)
            if column is not None:
                columns.append(column)
                counts.append(count)
        if not columns:
            return np.zeros(0, dtype=np.intp), np.zeros(0), 0.0
        positions = np.asarray(columns, dtype=np.intp)
        vector = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * self.idf[positions]
        return positions, vector / np.linalg.norm(vector), sum(counts) / total

    def log_scores(self, text: str) -> np.ndarray:
        """Unnormalised log posterior of each entry (the prior alone for an unknown text)."""
        return self.log_scores_and_known_share(text)[0]

    def log_scores_and_known_share(self, text: str) -> tuple[np.ndarray, float]:
        """:meth:`log_scores`, and the share of the text's n-grams the vocabulary knows."""
        columns, vector, known = self.vectorise(text)
        scores = self.prior + vector.sum() * self.norm_bias
        if len(columns) == 0:
            return scores, known
        starts, ends = self.indptr[columns], self.indptr[columns + 1]
        lengths = ends - starts
        picks = np.repeat(starts - np.cumsum(np.r_[0, lengths[:-1]]), lengths) + np.arange(
            lengths.sum()
        )
        contributions = self.weights[picks] * np.repeat(vector, lengths)
        scores += np.bincount(self.classes[picks], contributions, minlength=self.size)
        return scores, known

    def probabilities(self, text: str) -> np.ndarray:
        """P(entry | question), summing to one over the model's entries."""
        scores = self.log_scores(text)
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()
