"""The learned ranking: numpy-only scoring, a model file that fails safe, and the decision."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from knowledge_base.answering.domain_rules import load_domain_rules
from knowledge_base.answering.engine import QuestionEngine
from knowledge_base.answering.lexicon import load_lexicon
from knowledge_base.answering.matcher import KnowledgeIndex
from knowledge_base.answering.normalise import Normaliser
from knowledge_base.answering.ranking.chargrams import char_ngrams
from knowledge_base.answering.ranking.model import RankingModel, load_model, save_model
from knowledge_base.answering.ranking.training import choose_threshold, prior_shift, train
from knowledge_base.conversations.models import Outcome
from knowledge_base.knowledge.content_files import DEFAULT_CONTENT_DIR, read_content
from tests.engine_fixtures import OFFICE

ZONE = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="module")
def curated() -> list:
    return read_content(DEFAULT_CONTENT_DIR).entries


@pytest.fixture(scope="module")
def model(curated: list) -> RankingModel:
    return train(curated, Normaliser(load_lexicon()), load_domain_rules())


def _engine(entries: list, model: RankingModel | None, **extra) -> QuestionEngine:
    index = KnowledgeIndex(entries, Normaliser(load_lexicon()))
    engine = QuestionEngine(index, load_domain_rules(), [], office=OFFICE, zone=ZONE)
    return engine if model is None else engine.with_model(model, **extra)


def test_char_ngrams_are_those_of_scikit_learns_char_wb_analyser() -> None:
    analyse = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    text = "cek dpt online a gmn caranya"
    assert sorted(char_ngrams(text).elements()) == sorted(analyse(text))


def test_the_classifier_ranks_the_entry_of_an_asked_phrasing_first(model: RankingModel) -> None:
    column = model.entry_ids.index("cek-dpt-online")
    scores = model.classifier.log_scores("cara cek dpt daring")  # normalised words
    assert int(np.argmax(scores)) == column


def test_a_saved_model_loads_back_unchanged(model: RankingModel, tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    save_model(model, path)
    loaded = load_model(path)
    assert loaded is not None
    assert loaded.entry_ids == model.entry_ids and loaded.threshold == model.threshold
    text = "dimana tps saya"
    assert np.allclose(loaded.classifier.log_scores(text), model.classifier.log_scores(text))


def test_a_corrupted_model_file_loads_as_no_model(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    path.write_bytes(b"PK\x03\x04 not really a model")
    assert load_model(path) is None


def test_a_model_with_inconsistent_arrays_loads_as_no_model(
    model: RankingModel, tmp_path: Path
) -> None:
    broken = dataclasses.replace(model, fingerprints=model.fingerprints[:-1])
    path = tmp_path / "model.npz"
    save_model(broken, path)
    assert load_model(path) is None


def test_a_missing_model_file_loads_as_no_model(tmp_path: Path) -> None:
    assert load_model(tmp_path / "absent.npz") is None


def test_a_clear_question_is_answered_by_the_model(curated: list, model: RankingModel) -> None:
    reply = _engine(curated, model).ask("link cek dpt kpu apa ya")
    assert reply.decided_by == "model"
    assert reply.outcome == Outcome.ANSWER and reply.entry_id == "cek-dpt-online"
    assert reply.confidence is not None and reply.confidence >= model.threshold


def test_an_entry_changed_since_training_is_decided_by_the_score_rule(
    curated: list, model: RankingModel
) -> None:
    changed = [
        e.model_copy(update={"phrasings": [*e.phrasings, "cek dpt lewat hp"]})
        if e.id == "cek-dpt-online"
        else e
        for e in curated
    ]
    reply = _engine(changed, model).ask("link cek dpt kpu apa ya")
    assert reply.decided_by == "rule"


def test_an_entry_unchanged_since_training_is_still_decided_by_the_model(
    curated: list, model: RankingModel
) -> None:
    changed = [
        e.model_copy(update={"phrasings": [*e.phrasings, "kpu buka jam brp"]})
        if e.id == "jam-layanan-kantor"
        else e
        for e in curated
    ]
    reply = _engine(changed, model).ask("link cek dpt kpu apa ya")
    assert reply.decided_by == "model"


def test_a_removed_entry_is_never_offered(curated: list, model: RankingModel) -> None:
    remaining = [e for e in curated if e.id != "cek-dpt-online"]
    reply = _engine(remaining, model).ask("link cek dpt kpu apa ya")
    assert "cek-dpt-online" not in {c.entry.id for c in reply.candidates}


def test_the_confidence_setting_overrides_the_trained_threshold(
    curated: list, model: RankingModel
) -> None:
    reply = _engine(curated, model, answer_confidence=1.0).ask("gmn cara cek dpt online")
    assert reply.decided_by == "model" and reply.outcome != Outcome.ANSWER


def test_a_partisan_question_is_declined_with_the_model(curated: list, model: RankingModel) -> None:
    reply = _engine(curated, model).ask("partai mana yg paling bagus buat dipilih")
    assert reply.outcome == Outcome.DECLINE and reply.reason == "partisan"


def test_a_nik_is_masked_before_the_model_sees_it(curated: list, model: RankingModel) -> None:
    reply = _engine(curated, model).ask("nik sy 1371012345678901 udh terdaftar di dpt blm")
    assert "1371012345678901" not in reply.question + reply.answer + reply.normalised


def test_an_out_of_domain_question_is_not_answered(curated: list, model: RankingModel) -> None:
    reply = _engine(curated, model).ask("resep rendang padang yg enak gmn")
    assert reply.outcome != Outcome.ANSWER


def test_the_threshold_answers_most_within_the_wrong_answer_budget() -> None:
    confidence = np.asarray([0.95, 0.9, 0.8, 0.7, 0.6, 0.5])
    right = np.asarray([True, True, False, True, False, True])
    kinds = np.asarray(["phrasing"] * 6)
    # Answering down to 0.7 is one wrong answer in six (16.7%); down to 0.9 none.
    assert choose_threshold(confidence, right, kinds, budget=0.2) == 0.7
    assert choose_threshold(confidence, right, kinds, budget=0.1) == 0.9


def test_no_threshold_keeps_a_budget_that_outside_questions_break() -> None:
    confidence = np.asarray([0.99, 0.5])
    right = np.asarray([False, True])
    kinds = np.asarray(["outside", "phrasing"])
    assert choose_threshold(confidence, right, kinds, budget=0.01) == 1.0


def test_the_prior_shift_weighs_folds_to_the_expected_share_of_right_tops() -> None:
    right = np.asarray([True, False, False, False])
    offset, weights = prior_shift(right, np.asarray(["phrasing"] * 4), expected=0.75)
    assert np.isclose(np.sum(weights * right) / np.sum(weights), 0.75)
    assert offset > 0


def test_the_training_report_holds_cross_validation_and_calibration(model: RankingModel) -> None:
    report = model.report
    assert report["folds"] == 10
    assert 0 < report["top1"]["reranked"] <= 1
    assert sum(row["questions"] for row in report["calibration"]) > 0


def test_answering_imports_neither_scikit_learn_nor_scipy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from knowledge_base.answering.loader import load_engine, EngineCache\n"
        "from knowledge_base.answering.ranking.ranker import Ranker\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"


def test_near_tie_siblings_get_an_answer_and_the_other_as_see_also(
    curated: list, model: RankingModel
) -> None:
    reply = _engine(curated, model).ask("cek dpt gmn")
    assert reply.outcome == Outcome.ANSWER and reply.see_also is not None
    categories = {e.id: e.category for e in curated}
    assert categories[reply.see_also.entry_id] == categories[reply.entry_id]


def test_without_sibling_answers_a_near_tie_is_offered_as_suggestions(
    curated: list, model: RankingModel
) -> None:
    engine = _engine(curated, model, sibling_answers=False)
    reply = engine.ask("cek dpt gmn")
    if reply.confidence is not None and reply.confidence >= engine.answer_confidence:
        pytest.skip("the model is sure of the first entry alone")
    assert reply.outcome == Outcome.SUGGEST


def test_a_sibling_answer_counts_as_right_when_either_entry_is() -> None:
    confidence = np.asarray([0.6, 0.95])
    pair = np.asarray([0.9, 0.0])
    right = np.asarray([False, True])
    pair_right = np.asarray([True, True])
    kinds = np.asarray(["phrasing", "phrasing"])
    assert choose_threshold(confidence, right, kinds, 0.01, pair=pair, pair_right=pair_right) == 0.9
