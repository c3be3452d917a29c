"""The ``tanyapemilu`` command line: one sub-command module per verb group."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli import announcements, ask, db, evaluate, kb, serve, staff
from knowledge_base.settings import ConfigurationError, Settings, load_settings

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


def configure_logging(settings: Settings) -> None:
    """Log to stderr at the configured level."""
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    return int(args.handler(args, settings) or 0)


if __name__ == "__main__":
    sys.exit(main())
