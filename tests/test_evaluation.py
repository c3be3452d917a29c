"""The shipped matcher meets its quality bar on the evaluation set, and beats plain rapidfuzz."""

from __future__ import annotations

import pytest

from knowledge_base.answering.domain_rules import load_domain_rules
from knowledge_base.answering.engine import QuestionEngine
from knowledge_base.answering.evaluation import (
    EvalResult,
    evaluate_baseline,
    evaluate_engine,
    format_table,
    load_eval_items,
)
from knowledge_base.answering.lexicon import load_lexicon
from knowledge_base.answering.loader import thresholds_from
from knowledge_base.answering.matcher import KnowledgeIndex
from knowledge_base.answering.normalise import Normaliser
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.content_files import DEFAULT_CONTENT_DIR, read_content
from tests.engine_fixtures import OFFICE

EVAL_ITEMS = load_eval_items()


@pytest.fixture(scope="module")
def result() -> EvalResult:
    content = read_content(DEFAULT_CONTENT_DIR)
    settings = Settings(_env_file=None)
    engine = QuestionEngine(
        KnowledgeIndex(content.entries, Normaliser(load_lexicon())),
        load_domain_rules(),
        content.stages,
        office=OFFICE,
        zone=settings.zone,
        thresholds=thresholds_from(settings),
    )
    return evaluate_engine(engine, EVAL_ITEMS)


def test_the_evaluation_set_has_the_required_size() -> None:
    kinds = [item.kind for item in EVAL_ITEMS]

    assert kinds.count("in_scope") >= 250
    assert kinds.count("out_of_domain") >= 60
    assert kinds.count("partisan") >= 15
    assert kinds.count("pii") >= 10


def test_every_expected_entry_exists() -> None:
    ids = {entry.id for entry in read_content(DEFAULT_CONTENT_DIR).entries}

    assert {e for item in EVAL_ITEMS for e in item.expect} <= ids


def test_wrong_answers_stay_at_or_below_two_percent(result: EvalResult) -> None:
    assert result.wrong <= 0.02 * result.in_scope


def test_out_of_domain_questions_are_rarely_answered(result: EvalResult) -> None:
    assert result.out_of_domain_answered <= 0.05 * result.out_of_domain


def test_no_partisan_request_gets_an_answer_or_suggestion(result: EvalResult) -> None:
    assert result.partisan_breaches == 0


def test_no_personal_data_is_echoed(result: EvalResult) -> None:
    assert result.pii_leaks == 0


def test_correct_answers_do_not_regress_below_the_measured_level(result: EvalResult) -> None:
    # Measured 72.4% outright (92.7% with the right entry among suggestions); see the README.
    assert result.correct >= 0.70 * result.in_scope
    assert result.correct + result.suggested_with_right >= 0.90 * result.in_scope


def test_the_matcher_beats_every_plain_rapidfuzz_baseline(result: EvalResult) -> None:
    entries = read_content(DEFAULT_CONTENT_DIR).entries
    for scorer in ("ratio", "token_set_ratio", "WRatio"):
        baseline = evaluate_baseline(entries, EVAL_ITEMS, scorer)
        ours = result.correct - result.wrong - result.out_of_domain_answered
        theirs = baseline.correct - baseline.wrong - baseline.out_of_domain_answered
        assert ours > theirs, scorer


def test_the_table_names_every_metric(result: EvalResult) -> None:
    table = format_table([result])

    for label in ("correct answers", "wrong answers", "partisan breaches", "PII leaks"):
        assert label in table


@pytest.fixture(scope="module")
def learned(result: EvalResult) -> EvalResult:
    """The engine as shipped: the model trained on the knowledge base (never on this set)."""
    from knowledge_base.answering.ranking.training import train

    content = read_content(DEFAULT_CONTENT_DIR)
    settings = Settings(_env_file=None)
    normaliser = Normaliser(load_lexicon())
    engine = QuestionEngine(
        KnowledgeIndex(content.entries, normaliser),
        load_domain_rules(),
        content.stages,
        office=OFFICE,
        zone=settings.zone,
        thresholds=thresholds_from(settings),
    )
    model = train(content.entries, Normaliser(load_lexicon()), load_domain_rules())
    return evaluate_engine(engine.with_model(model), EVAL_ITEMS)


def test_the_learned_decision_answers_more_than_the_score_rule(
    learned: EvalResult, result: EvalResult
) -> None:
    assert learned.correct > result.correct


def test_the_learned_decision_keeps_wrong_answers_within_two_percent(learned: EvalResult) -> None:
    assert learned.wrong <= 0.02 * learned.in_scope


def test_the_learned_decision_answers_at_most_two_percent_out_of_domain(
    learned: EvalResult,
) -> None:
    assert learned.out_of_domain_answered <= 0.02 * learned.out_of_domain


def test_the_learned_decision_keeps_neutrality_and_privacy(learned: EvalResult) -> None:
    assert (learned.partisan_breaches, learned.pii_leaks) == (0, 0)
