"""Fit the character n-gram classifier (scipy sparse algebra; never imported by ``ask``)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from knowledge_base.answering.ranking.chargrams import char_ngrams
from knowledge_base.answering.ranking.classifier import CharClassifier

ALPHA = 0.01


def _counts(texts: Sequence[str]) -> tuple[dict[str, int], sparse.csr_matrix]:
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    for row, text in enumerate(texts):
        for gram, count in char_ngrams(text).items():
            rows.append(row)
            columns.append(vocabulary.setdefault(gram, len(vocabulary)))
            values.append(1.0 + math.log(count))
    shape = (len(texts), len(vocabulary))
    return vocabulary, sparse.csr_matrix((values, (rows, columns)), shape=shape)


def fit_classifier(
    texts: Sequence[str], owners: Sequence[int], classes: int, alpha: float = ALPHA
) -> CharClassifier:
    """Naive Bayes over l2-normalised sublinear tf-idf vectors of ``texts`` (one row each,
    ``owners[i]`` its entry); uniform prior, so an entry with more phrasings is not favoured."""
    vocabulary, tf = _counts(texts)
    documents = tf.shape[0]
    frequency = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log((1 + documents) / (1 + frequency)) + 1.0  # scikit-learn's smooth idf
    weighted = tf.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    weighted = sparse.diags(1 / np.maximum(norms, 1e-12)) @ weighted
    membership = sparse.csr_matrix(
        (np.ones(documents), (np.asarray(owners), np.arange(documents))), shape=(classes, documents)
    )
    by_feature = (membership @ weighted).T.tocsr()  # features × classes, summed weights
    by_feature.sort_indices()
    totals = np.asarray(by_feature.sum(axis=0)).ravel()
    return CharClassifier(
        vocabulary=vocabulary,
        idf=idf.astype(np.float32),
        indptr=by_feature.indptr.astype(np.int64),
        classes=by_feature.indices.astype(np.int32),
        weights=np.log1p(by_feature.data / alpha).astype(np.float32),
        norm_bias=(math.log(alpha) - np.log(totals + alpha * len(vocabulary))).astype(np.float32),
        prior=np.zeros(classes, dtype=np.float32),
    )
