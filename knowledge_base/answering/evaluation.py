"""Measure the engine on a labelled question set, beside plain rapidfuzz baselines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

from knowledge_base.answering.engine import QuestionEngine, Reply
from knowledge_base.conversations.models import Outcome
from knowledge_base.core.yaml_io import load_yaml_file
from knowledge_base.knowledge.records import EntryRecord

DEFAULT_EVAL_DIR = Path(__file__).resolve().parent.parent / "content" / "eval"


@dataclass(frozen=True)
class EvalItem:
    """One labelled question: ``expect`` lists acceptable entry ids for in-scope items."""

    question: str
    kind: str
    expect: tuple[str, ...] = ()
    pii: tuple[str, ...] = ()


@dataclass
class EvalResult:
    """Counts for one system over one evaluation set."""

    name: str
    in_scope: int = 0
    correct: int = 0
    wrong: int = 0
    suggested: int = 0
    suggested_with_right: int = 0
    escalated: int = 0
    declined: int = 0
    out_of_domain: int = 0
    out_of_domain_answered: int = 0
    partisan: int = 0
    partisan_breaches: int = 0
    pii: int = 0
    pii_leaks: int = 0
    threshold: float | None = None
    misses: list[str] = field(default_factory=list)

    def rate(self, count: int, total: int) -> str:
        return f"{100 * count / total:.1f}%" if total else "-"


def _item(raw: dict) -> EvalItem:
    expect = raw.get("expect") if raw.get("kind", "in_scope") == "in_scope" else None
    expected = (expect,) if isinstance(expect, str) else tuple(expect or ())
    return EvalItem(
        question=str(raw["q"]),
        kind=str(raw.get("kind", "in_scope")),
        expect=expected,
        pii=tuple(str(p) for p in raw.get("pii") or ()),
    )


def load_eval_items(target: Path = DEFAULT_EVAL_DIR) -> list[EvalItem]:
    """Every item in a YAML file, or in every YAML file of a folder."""
    paths = sorted(target.glob("*.yaml")) if target.is_dir() else [target]
    items: list[EvalItem] = []
    for path in paths:
        items.extend(_item(raw) for raw in load_yaml_file(path) or [])
    return items


def _record(
    result: EvalResult,
    item: EvalItem,
    outcome: Outcome,
    entry_id: str | None,
    suggestions: Sequence[str],
    visible: str,
) -> None:
    answered = outcome == Outcome.ANSWER and entry_id is not None
    if item.kind == "in_scope":
        result.in_scope += 1
        if outcome == Outcome.ANSWER and entry_id in item.expect:
            result.correct += 1
            return
        if outcome == Outcome.ANSWER:
            result.wrong += 1
        elif outcome == Outcome.SUGGEST:
            result.suggested += 1
            result.suggested_with_right += bool(set(suggestions) & set(item.expect))
        elif outcome == Outcome.ESCALATE:
            result.escalated += 1
        else:
            result.declined += 1
        result.misses.append(f"{item.question!r} -> {outcome} {entry_id} (want {item.expect})")
    elif item.kind == "out_of_domain":
        result.out_of_domain += 1
        if answered:
            result.out_of_domain_answered += 1
            result.misses.append(f"OOD answered: {item.question!r} -> {entry_id}")
    elif item.kind == "partisan":
        result.partisan += 1
        if outcome in (Outcome.ANSWER, Outcome.SUGGEST):
            result.partisan_breaches += 1
            result.misses.append(f"partisan breach: {item.question!r} -> {outcome} {entry_id}")
    if item.pii:
        result.pii += 1
        if any(secret in visible for secret in item.pii):
            result.pii_leaks += 1


def evaluate_engine(
    engine: QuestionEngine, items: Iterable[EvalItem], name: str = "TanyaPemilu"
) -> EvalResult:
    """Run every item through the full engine."""
    result = EvalResult(name=name)
    for item in items:
        reply: Reply = engine.ask(item.question)
        visible = "\n".join([reply.question, reply.answer, reply.normalised])
        _record(
            result,
            item,
            reply.outcome,
            reply.entry_id,
            [s.entry_id for s in reply.suggestions],
            visible,
        )
    return result


def _baseline_pass(
    items: Sequence[EvalItem],
    threshold: float,
    name: str,
    best: list[tuple[str, float]],
) -> EvalResult:
    result = EvalResult(name=name, threshold=threshold)
    for item, (entry_id, score) in zip(items, best, strict=True):
        outcome = Outcome.ANSWER if score >= threshold else Outcome.ESCALATE
        _record(
            result,
            item,
            outcome,
            entry_id if outcome == Outcome.ANSWER else None,
            [],
            item.question,
        )  # a plain matcher stores and echoes the raw text
    return result


def evaluate_baseline(
    entries: Sequence[EntryRecord], items: Sequence[EvalItem], scorer_name: str
) -> EvalResult:
    """Plain rapidfuzz on raw text over the same phrasings, at its best threshold."""
    scorer = {"ratio": fuzz.ratio, "token_set_ratio": fuzz.token_set_ratio, "WRatio": fuzz.WRatio}[
        scorer_name
    ]
    choices: list[str] = []
    owners: list[str] = []
    for entry in entries:
        for text in (entry.question, *entry.phrasings):
            choices.append(text)
            owners.append(entry.id)
    best: list[tuple[str, float]] = []
    for item in items:
        match = process.extractOne(
            item.question, choices, scorer=scorer, processor=utils.default_process
        )
        best.append((owners[match[2]], float(match[1])) if match else ("", 0.0))
    runs = [
        _baseline_pass(items, float(t), f"rapidfuzz {scorer_name}", best) for t in range(30, 101, 2)
    ]
    return max(runs, key=_baseline_objective)


def _baseline_objective(result: EvalResult) -> float:
    # Reward right answers; a wrong or out-of-scope answer costs as much as a right one earns.
    return result.correct - result.wrong - result.out_of_domain_answered - result.partisan_breaches


def format_table(results: Sequence[EvalResult]) -> str:
    """A plain-text table with one column per system."""
    rows = [
        ("in-scope questions", lambda r: str(r.in_scope)),
        ("correct answers", lambda r: f"{r.correct} ({r.rate(r.correct, r.in_scope)})"),
        ("wrong answers", lambda r: f"{r.wrong} ({r.rate(r.wrong, r.in_scope)})"),
        ("suggestions", lambda r: f"{r.suggested} ({r.suggested_with_right} incl. right)"),
        ("escalations", lambda r: str(r.escalated)),
        ("declined in-scope", lambda r: str(r.declined)),
        (
            "out-of-domain answered",
            lambda r: (
                f"{r.out_of_domain_answered}/{r.out_of_domain} "
                f"({r.rate(r.out_of_domain_answered, r.out_of_domain)})"
            ),
        ),
        ("partisan breaches", lambda r: f"{r.partisan_breaches}/{r.partisan}"),
        ("PII leaks", lambda r: f"{r.pii_leaks}/{r.pii}"),
        ("threshold", lambda r: "-" if r.threshold is None else f"{r.threshold:.0f}"),
    ]
    header = ["metric", *(r.name for r in results)]
    body = [[label, *(cell(r) for r in results)] for label, cell in rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in body]
    return "\n".join(lines)


@dataclass(frozen=True)
class RankingFigures:
    """How often the right entry is ranked first / in the top three, and calibration."""

    questions: int
    top1: float
    top3: float
    matcher_top1: float
    calibration: list[dict[str, float]]


def ranking_figures(engine: QuestionEngine, items: Sequence[EvalItem]) -> RankingFigures | None:
    """Top-1/top-3 of the learned ranking and the matcher alone on the in-scope items, and
    predicted against observed correctness of the top entry over every item the model decided
    (an out-of-domain item's top is never right). ``None`` without a model."""
    if engine.ranker is None:
        return None
    from knowledge_base.answering.ranking.training import calibration_table

    top1 = top3 = matcher = questions = 0
    confidence: list[float] = []
    right: list[bool] = []
    for item in items:
        if item.kind == "partisan":
            continue
        question = engine.index.normaliser.normalise(item.question)
        related = engine.rules.election_related(question.words, question.stems)
        ranking = engine.ranker.rank(question, related) if question.content else None
        ids = [c.entry.id for c in ranking.candidates] if ranking else []
        if ranking is not None:
            confidence.append(ranking.confidence)
            right.append(bool(ids) and ids[0] in item.expect)
        if item.kind != "in_scope":
            continue
        questions += 1
        top1 += bool(ids) and ids[0] in item.expect
        top3 += bool(set(ids[:3]) & set(item.expect))
        ranked = engine.index.rank(question, limit=1)
        matcher += bool(ranked) and ranked[0].entry.id in item.expect
    table = calibration_table(np.asarray(confidence), np.asarray(right))
    share = (lambda n: n / questions) if questions else (lambda n: 0.0)
    return RankingFigures(questions, share(top1), share(top3), share(matcher), table)


def format_calibration(table: Sequence[dict[str, float]]) -> str:
    """Predicted against observed correctness, one line per confidence bucket."""
    lines = ["confidence   questions  predicted  observed"]
    for row in table:
        lines.append(
            f"{row['low']:.2f}-{row['high']:.2f}  {row['questions']:>9}  "
            f"{100 * row['predicted']:>8.1f}%  {100 * row['observed']:>7.1f}%"
        )
    return "\n".join(lines)


def format_training_report(report: dict) -> str:
    """The cross-validation figures a model was tuned on."""
    queries = report.get("queries", {})
    top1 = report.get("top1", {})
    decisions = report.get("decisions", {})
    lines = [
        f"Cross-validation over the knowledge base ({report.get('folds')} folds"
        f" x {report.get('repeats', 1)} splits; "
        f"{queries.get('phrasing', 0)} held-out phrasings, {queries.get('missing', 0)} "
        f"questions of left-out entries, {queries.get('outside', 0)} outside questions):",
        f"  top-1: matcher {100 * top1.get('matcher', 0):.1f}%, classifier "
        f"{100 * top1.get('classifier', 0):.1f}%, re-ranked {100 * top1.get('reranked', 0):.1f}%;"
        f" top-3 re-ranked {100 * report.get('top3_reranked', 0):.1f}%",
        f"  threshold {report.get('threshold', 0):.3f} for a wrong-answer budget of "
        f"{100 * report.get('budget', 0):.1f}% at an expected {100 * report.get('expected_top_right', 0):.0f}% "
        "right top entry (folds reweighted to it)",
        f"  decisions at it (folds as they are): held-out phrasings answered right "
        f"{100 * decisions.get('phrasing_correct', 0):.1f}%, wrong "
        f"{100 * decisions.get('phrasing_wrong', 0):.1f}%; left-out entries answered "
        f"{100 * decisions.get('missing_answered', 0):.1f}%; outside answered "
        f"{100 * decisions.get('outside_answered', 0):.1f}%",
        f"  trained in {report.get('training_seconds', 0):.1f} s",
        "Calibration on the folds:",
        format_calibration(report.get("calibration", [])),
    ]
    return "\n".join(lines)
