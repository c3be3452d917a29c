"""``tanyapemilu serve``: prepare the database and run everything that is configured."""

from __future__ import annotations

import argparse
import asyncio

from knowledge_base.core.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="migrate, seed and run the API and the bot")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so that quick commands such as `ask` do not pay for the web stack.
    from tanyapemilu.runner import serve_forever

    asyncio.run(serve_forever(settings))
    return 0
