"""``tanyapemilu eval``: the evaluation table for the matcher and plain rapidfuzz baselines."""

from __future__ import annotations

import argparse
from pathlib import Path

from knowledge_base.answering.evaluation import (
    DEFAULT_EVAL_DIR,
    evaluate_baseline,
    evaluate_engine,
    format_table,
    load_eval_items,
)
from knowledge_base.core.settings import Settings
from tanyapemilu.cli.context import question_engine

BASELINE_SCORERS = ("ratio", "token_set_ratio", "WRatio")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("eval", help="run the evaluation set and print a table")
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_EVAL_DIR, metavar="FILE")
    parser.add_argument("--misses", action="store_true", help="list every miss of the matcher")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    items = load_eval_items(args.file)
    with question_engine(settings) as engine:
        ours = evaluate_engine(engine, items)
        entries = engine.index.entries
        baselines = [evaluate_baseline(entries, items, name) for name in BASELINE_SCORERS]
    print(format_table([ours, *baselines]))
    if args.misses:
        print("\nMisses:")
        print("\n".join(ours.misses))
    return 0
