"""``tanyapemilu db``: apply, undo and inspect schema migrations."""

from __future__ import annotations

import argparse

from knowledge_base.core import migrations
from knowledge_base.core.db import create_db_engine, describe_database
from knowledge_base.core.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("db", help="database migrations")
    verbs = parser.add_subparsers(dest="db_command", required=True, metavar="VERB")
    upgrade = verbs.add_parser("upgrade", help="apply pending migrations (default: to head)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=run_upgrade)
    downgrade = verbs.add_parser("downgrade", help="undo migrations down to REVISION")
    downgrade.add_argument("revision", help="target revision, e.g. -1 or base")
    downgrade.set_defaults(handler=run_downgrade)
    current = verbs.add_parser("current", help="show the database's revision")
    current.set_defaults(handler=run_current)


def run_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    migrations.upgrade(settings.database_url, args.revision)
    return run_current(args, settings)


def run_downgrade(args: argparse.Namespace, settings: Settings) -> int:
    migrations.downgrade(settings.database_url, args.revision)
    return run_current(args, settings)


def run_current(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_db_engine(settings.database_url)
    try:
        revision = migrations.current_revision(engine)
        head = migrations.head_revision(settings.database_url)
    finally:
        engine.dispose()
    state = "up to date" if revision == head else f"head is {head}"
    print(f"{describe_database(settings.database_url)}: revision {revision or 'none'} ({state})")
    return 0
