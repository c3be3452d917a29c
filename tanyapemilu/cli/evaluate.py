"""``tanyapemilu eval``: the evaluation table for the engine, its score rule and baselines."""

from __future__ import annotations

import argparse
from pathlib import Path

from knowledge_base.answering.evaluation import (
    DEFAULT_EVAL_DIR,
    evaluate_baseline,
    evaluate_engine,
    format_calibration,
    format_table,
    format_training_report,
    load_eval_items,
    ranking_figures,
)
from knowledge_base.answering.loader import needs_training
from knowledge_base.answering.ranking.retraining import train_model
from knowledge_base.core.settings import Settings
from tanyapemilu.cli.context import question_engine

BASELINE_SCORERS = ("ratio", "token_set_ratio", "WRatio")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "eval", help="run the evaluation set (held out: nothing is tuned on it) and print tables"
    )
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_EVAL_DIR, metavar="FILE")
    parser.add_argument("--misses", action="store_true", help="list every miss of the engine")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    items = load_eval_items(args.file)
    with question_engine(settings) as engine:
        if settings.ranking_model and needs_training(engine):
            print("Training the ranking model for the current entries...")
            model = train_model(engine.index.entries, settings)
            engine = engine.with_model(model)
        ours = evaluate_engine(engine, items, "TanyaPemilu")
        rule = evaluate_engine(engine.without_model(), items, "score rule (before)")
        entries = engine.index.entries
        baselines = [evaluate_baseline(entries, items, name) for name in BASELINE_SCORERS]
        figures = ranking_figures(engine, items)
    print(f"Held-out evaluation set ({args.file}):")
    print(format_table([ours, rule, *baselines]))
    if figures is not None and engine.ranker is not None:
        print(
            f"\nRanking on the held-out set: top-1 {100 * figures.top1:.1f}% "
            f"(matcher alone {100 * figures.matcher_top1:.1f}%), top-3 {100 * figures.top3:.1f}%;"
            f" answer threshold {engine.answer_confidence:.3f}"
        )
        print("Calibration on the held-out set (P(top entry is right) as the engine states it):")
        print(format_calibration(figures.calibration))
        print()
        print(format_training_report(engine.ranker.model.report))
    if args.misses:
        print("\nMisses:")
        print("\n".join(ours.misses))
    return 0
