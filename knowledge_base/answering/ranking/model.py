"""The trained ranking model: its arrays, its file, and its binding to the live entries."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from knowledge_base.answering.ranking.classifier import CharClassifier
from knowledge_base.answering.ranking.features import CANDIDATE_FEATURES, QUESTION_FEATURES
from knowledge_base.knowledge.records import EntryRecord

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2
MODEL_FILENAME = "ranking-model.npz"


def entry_fingerprint(entry: EntryRecord) -> str:
    """A digest of what the model learns from an entry: its question and phrasings."""
    payload = json.dumps([entry.id, entry.question, list(entry.phrasings)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LinearModel:
    """A logistic model's weights: ``x @ coef + intercept`` is the log-odds."""

    coef: np.ndarray
    intercept: float

    def logits(self, rows: np.ndarray) -> np.ndarray:
        return rows @ self.coef + self.intercept

    def probability(self, row: np.ndarray) -> float:
        return float(1 / (1 + np.exp(-self.logits(row[None, :])[0])))


@dataclass(frozen=True)
class RankingModel:
    """Classifier, re-ranker and calibrator trained together on one knowledge base."""

    classifier: CharClassifier
    entry_ids: tuple[str, ...]
    fingerprints: tuple[str, ...]
    reranker: LinearModel
    calibrator: LinearModel
    pair_calibrator: LinearModel  # P(the right entry is one of the top two)
    threshold: float  # P(top is right) needed to answer, chosen on held-out folds
    budget: float  # the wrong-answer budget the threshold was chosen for
    report: dict[str, Any] = field(default_factory=dict)

    def columns_for(self, entries: Sequence[EntryRecord]) -> np.ndarray:
        """Each live entry's class in the classifier, or -1 where the model does not know it
        as it is now (new, or its phrasings changed since training)."""
        known = {
            (entry_id, digest): column
            for column, (entry_id, digest) in enumerate(
                zip(self.entry_ids, self.fingerprints, strict=True)
            )
        }
        return np.asarray(
            [known.get((e.id, entry_fingerprint(e)), -1) for e in entries], dtype=np.intp
        )


def save_model(model: RankingModel, path: Path) -> None:
    """Write the model next to ``path`` and move it into place in one step."""
    classifier = model.classifier
    grams = sorted(classifier.vocabulary, key=classifier.vocabulary.__getitem__)
    meta = {
        "format": FORMAT_VERSION,
        "entry_ids": list(model.entry_ids),
        "fingerprints": list(model.fingerprints),
        "vocabulary": grams,
        "reranker_intercept": model.reranker.intercept,
        "calibrator_intercept": model.calibrator.intercept,
        "pair_calibrator_intercept": model.pair_calibrator.intercept,
        "threshold": model.threshold,
        "budget": model.budget,
        "report": model.report,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".model-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(
                file,
                meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
                idf=classifier.idf,
                indptr=classifier.indptr,
                classes=classifier.classes,
                weights=classifier.weights,
                norm_bias=classifier.norm_bias,
                prior=classifier.prior,
                reranker=model.reranker.coef,
                calibrator=model.calibrator.coef,
                pair_calibrator=model.pair_calibrator.coef,
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_model(path: Path) -> RankingModel | None:
    """The model in ``path``; ``None`` (logged) when it is missing, corrupt or inconsistent."""
    if not path.exists():
        return None
    try:
        return _read(path)
    except Exception as error:
        logger.warning("ranking model %s unusable (%s); using the score rule", path, error)
        return None


def _read(path: Path) -> RankingModel:
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(data["meta"].tobytes().decode())
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"format {meta.get('format')!r}, expected {FORMAT_VERSION}")
        grams: list[str] = meta["vocabulary"]
        classifier = CharClassifier(
            vocabulary={gram: column for column, gram in enumerate(grams)},
            idf=data["idf"],
            indptr=data["indptr"],
            classes=data["classes"],
            weights=data["weights"],
            norm_bias=data["norm_bias"],
            prior=data["prior"],
        )
        model = RankingModel(
            classifier=classifier,
            entry_ids=tuple(meta["entry_ids"]),
            fingerprints=tuple(meta["fingerprints"]),
            reranker=LinearModel(data["reranker"], float(meta["reranker_intercept"])),
            calibrator=LinearModel(data["calibrator"], float(meta["calibrator_intercept"])),
            pair_calibrator=LinearModel(
                data["pair_calibrator"], float(meta["pair_calibrator_intercept"])
            ),
            threshold=float(meta["threshold"]),
            budget=float(meta["budget"]),
            report=meta.get("report") or {},
        )
    _check(model)
    return model


def _check(model: RankingModel) -> None:
    c = model.classifier
    entries = len(model.entry_ids)
    problems = [
        (len(model.fingerprints) != entries, "fingerprints"),
        (len(c.norm_bias) != entries or len(c.prior) != entries, "class arrays"),
        (len(c.idf) != len(c.vocabulary) or len(c.indptr) != len(c.vocabulary) + 1, "vocabulary"),
        (len(c.classes) != len(c.weights) or int(c.indptr[-1]) != len(c.classes), "postings"),
        (len(c.classes) > 0 and (c.classes.min() < 0 or c.classes.max() >= entries), "classes"),
        (bool(np.any(np.diff(c.indptr) < 0)), "indptr"),
        (model.reranker.coef.shape != (len(CANDIDATE_FEATURES),), "re-ranker"),
        (model.calibrator.coef.shape != (len(QUESTION_FEATURES),), "calibrator"),
        (model.pair_calibrator.coef.shape != (len(QUESTION_FEATURES),), "pair calibrator"),
        (not 0.0 <= model.threshold <= 1.0, "threshold"),
    ]
    for failed, what in problems:
        if failed:
            raise ValueError(f"inconsistent {what}")
    arrays = [c.idf, c.weights, c.norm_bias, model.reranker.coef, model.calibrator.coef]
    arrays.append(model.pair_calibrator.coef)
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise ValueError("non-finite weights")
