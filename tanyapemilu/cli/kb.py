"""``tanyapemilu kb``: import and export curated knowledge-base content as YAML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlmodel import Session

from knowledge_base.answering.evaluation import format_training_report
from knowledge_base.answering.ranking.retraining import model_path, train_model
from knowledge_base.answering.ranking.training import TooFewEntries
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.content_files import ContentError, dump_records, write_content
from knowledge_base.knowledge.entries import export_records, import_path
from tanyapemilu.cli.context import database, question_engine


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("kb", help="knowledge-base content")
    verbs = parser.add_subparsers(dest="kb_command", required=True, metavar="VERB")
    importer = verbs.add_parser("import", help="validate and import a YAML file or folder")
    importer.add_argument("path", type=Path, metavar="FILE|DIR")
    importer.set_defaults(handler=run_import)
    exporter = verbs.add_parser("export", help="write entries and stages as YAML")
    exporter.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="DIR",
        help="folder to write entries/<category>.yaml and stages.yaml (default: entries to stdout)",
    )
    exporter.set_defaults(handler=run_export)
    trainer = verbs.add_parser(
        "train", help="train the ranking model for the published entries (a cache artefact)"
    )
    trainer.set_defaults(handler=run_train)


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings) as engine, Session(engine) as session:
        try:
            report = import_path(session, args.path)
        except ContentError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            print(f"Nothing imported: {len(error.problems)} problem(s).", file=sys.stderr)
            return 1
        session.commit()
    print(
        f"Imported {args.path}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged entries; {report.stages_created} stages created, "
        f"{report.stages_updated} updated."
    )
    return 0


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings) as engine, Session(engine) as session:
        entries, stages = export_records(session)
    if args.output is None:
        sys.stdout.write(dump_records(entries))
        return 0
    write_content(args.output, entries, stages)
    print(f"Exported {len(entries)} entries and {len(stages)} stages to {args.output}")
    return 0


def run_train(args: argparse.Namespace, settings: Settings) -> int:
    with question_engine(settings) as engine:
        try:
            model = train_model(engine.index.entries, settings)
        except TooFewEntries as error:
            print(f"No model trained: {error}.", file=sys.stderr)
            return 1
    path = model_path(settings)
    size = path.stat().st_size / 1024
    print(f"Trained on {len(model.entry_ids)} entries; wrote {path} ({size:.0f} KiB).")
    print(format_training_report(model.report))
    return 0
