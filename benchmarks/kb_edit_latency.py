"""Reply latency while staff edit the knowledge base every second, against the same traffic
with no edits (the baseline, measured in the same run).

Run: ``.venv/bin/python -m benchmarks.kb_edit_latency``. Citizens ask at a steady rate through
the polling bot and the fake Bot API (in its own process); in the second phase another thread
saves an entry every second, as the staff API does, so every running bot rebuilds its engine.
The rebuild happens in a worker thread and is swapped in, so replies should not wait for it.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlmodel import Session, select

from benchmarks.bot_throughput import (
    FIRST_CHAT,
    _questions,
    _seeded_database,
    _services,
    _settings,
    fake_server_process,
)
from benchmarks.common import percentile, print_table
from bot.application import build_application, start_application, stop_application
from knowledge_base.core.db import create_db_engine
from knowledge_base.knowledge.entries import bump_knowledge_version, entry_to_record, save_entry
from knowledge_base.knowledge.models import KnowledgeEntry
from tests.telegram.harness import text_message


def _edit_every_second(database_url: str, stop: threading.Event) -> int:
    """Save one entry with a changed phrasing each second; returns how many edits were made."""
    engine = create_db_engine(database_url)
    edits = 0
    while not stop.wait(1.0):
        with Session(engine) as session:
            entry = session.exec(select(KnowledgeEntry).order_by(KnowledgeEntry.id)).first()
            record = entry_to_record(entry)
            phrasings = [*record.phrasings[:-1], f"cek dpt online versi {edits}"]
            save_entry(
                session,
                record.model_copy(update={"phrasings": phrasings}),
                changed_by="bench",
                summary="bench",
            )
            bump_knowledge_version(session)
            session.commit()
        edits += 1
    engine.dispose()
    print(f"{edits} knowledge-base edits made")
    return edits


async def _phase(url: str, folder: Path, questions: list[str], rate: float, edits: bool) -> list:
    with fake_server_process() as root:
        services = _services(_settings(url, f"{root}/bot", folder))
        app = build_application(services)
        await start_application(app)
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        stop = threading.Event()
        editor = threading.Thread(target=_edit_every_second, args=(url, stop)) if edits else None
        if editor is not None:
            editor.start()
        sent_at: dict[int, float] = {}
        async with httpx.AsyncClient() as client:
            for n, question in enumerate(questions):
                chat_id = FIRST_CHAT + n
                sent_at[chat_id] = time.monotonic()
                update = {"message": text_message(chat_id, question)}
                await client.post(f"{root}/control/updates", json=[update])
                await asyncio.sleep(1 / rate)
            deadline = time.monotonic() + 60
            while True:
                calls = (await client.get(f"{root}/control/calls/sendMessage")).json()
                if len(calls) >= len(questions) or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.05)
        stop.set()
        if editor is not None:
            editor.join()
        await stop_application(app)
        services.db.dispose()
    latencies = [(c["at"] - sent_at[c["chat_id"]]) * 1000 for c in calls]
    name = "edited every second" if edits else "baseline: no edits"
    return [
        name,
        len(latencies),
        f"{percentile(latencies, 0.5):.0f}",
        f"{percentile(latencies, 0.99):.0f}",
    ]


async def run(count: int, rate: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tp-kb-edit-bench-"))
    template = _seeded_database(folder).removeprefix("sqlite:///")
    questions = _questions(count)
    rows = []
    for edits in (False, True):
        copy = folder / f"edits-{edits}.db"
        shutil.copyfile(template, copy)
        rows.append(await _phase(f"sqlite:///{copy}", folder, questions, rate, edits))
    print(f"Reply latency: {count} questions at {rate:.0f}/s, polling bot, SQLite")
    print_table(["phase", "answered", "p50 ms", "p99 ms"], rows)
    print(f"p99 while editing: {float(rows[1][3]) / max(float(rows[0][3]), 1):.2f}x of idle")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20.0)
    args = parser.parse_args()
    asyncio.run(run(args.questions, args.rate))


if __name__ == "__main__":
    main()
