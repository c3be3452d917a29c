"""Runs the process's outbox sender until nothing is left to send, as `tanyapemilu serve` would
(``python -m tests.outbox_process``; settings from TANYAPEMILU_* variables). Crash tests kill
it with SIGKILL and start it again."""

from __future__ import annotations

import asyncio
import json

from sqlmodel import Session

from bot.outbox_transport import build_outbox_sender
from knowledge_base.core.db import create_db_engine
from knowledge_base.core.settings import load_settings
from knowledge_base.outbox.service import is_settled


async def run() -> None:
    settings = load_settings()
    engine = create_db_engine(settings.database_url)
    sender = build_outbox_sender(settings, engine)
    await sender.start()
    try:
        while True:
            await asyncio.sleep(0.2)
            with Session(engine) as session:
                if is_settled(session):
                    break
    finally:
        await sender.stop()
        engine.dispose()
    print(json.dumps({"settled": True}), flush=True)


if __name__ == "__main__":
    asyncio.run(run())
