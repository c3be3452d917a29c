"""The ``tanyapemilu`` command line: one sub-command module per verb group."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from knowledge_base.core.settings import ConfigurationError, load_settings
from tanyapemilu.cli import announcements, ask, db, evaluate, kb, serve, staff
from tanyapemilu.cli.errors import report_failure
from tanyapemilu.cli.logging_setup import configure_logging

COMMAND_MODULES = (serve, ask, evaluate, kb, staff, announcements, db)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="tanyapemilu",
        description="TanyaPemilu: an election-information Telegram bot for KPU offices.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        return int(args.handler(args, settings) or 0)
    except Exception as exc:
        # A database or Telegram the settings point at is unusable: one line, not a traceback.
        if (code := report_failure(exc, settings, args.command)) is None:
            raise
        return code


if __name__ == "__main__":
    sys.exit(main())
