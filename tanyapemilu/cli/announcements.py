"""``tanyapemilu announcements send ID``: deliver (or resume delivering) an announcement."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from knowledge_base.core.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("announcements", help="announcement delivery")
    verbs = parser.add_subparsers(dest="announcement_command", required=True, metavar="VERB")
    send = verbs.add_parser(
        "send", help="send to every subscriber not yet reached (safe to run again after a crash)"
    )
    send.add_argument("announcement_id", type=int)
    send.add_argument("--rate", type=float, help="messages per second (default: settings)")
    send.set_defaults(handler=run_send)


async def _send(settings: Settings, announcement_id: int, rate: float) -> dict[str, int]:
    from telegram import Bot

    from bot.broadcaster import Broadcaster, BroadcastPolicy
    from tanyapemilu.cli.context import database

    with database(settings) as engine:
        bot = Bot(settings.telegram_token.get_secret_value(), base_url=settings.telegram_base_url)
        async with bot:
            policy = BroadcastPolicy(rate_per_second=rate)
            return await Broadcaster(engine, bot, policy).send(announcement_id)


def run_send(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.telegram_enabled:
        print("TANYAPEMILU_TELEGRAM_TOKEN is not set.", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(
            _send(settings, args.announcement_id, args.rate or settings.broadcast_rate)
        )
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(json.dumps(report))
    return 0
