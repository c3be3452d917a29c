"""Server time and page weight of every staff-console page, against ``/healthz`` (the
baseline) measured in the same run.

Run: ``.venv/bin/python -m benchmarks.console_pages [--database postgresql] [--requests 200]``.
The database is migrated and seeded as ``serve`` does (the curated knowledge base), then gets
1,000 open questions (each with its asker) and 3,000 logged questions over 90 days, all by bulk
inserts. The app runs under uvicorn on 127.0.0.1 in a child process; this process logs in as
an admin through the login form (a session cookie) and fetches each page ``--requests`` times
in a row, one at a time. Reported per page: median and p95 of the request time, the median as
a multiple of ``/healthz`` (one database write and a JSON answer), and the weight of a first
visit: the HTML plus every stylesheet and script it names. A page that answers 404 (not
built yet) is skipped and listed.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, select

from benchmarks.common import percentile, print_table
from knowledge_base.conversations.models import Chat, QuestionLog
from knowledge_base.core.bootstrap import prepare_database
from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import create_db_engine, session_scope
from knowledge_base.core.settings import Settings
from knowledge_base.followup.models import UnansweredAsker, UnansweredQuestion
from knowledge_base.knowledge.models import KnowledgeEntry
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole

OPEN_QUESTIONS = 1_000
LOGGED_QUESTIONS = 3_000
WARM_UP = 5
ADMIN = ("bench-admin", "kata-sandi-bench-1")
TOPICS = ("logistik", "pindah memilih", "tps", "dpt", "ktp-el", "kampanye", "hasil suara")
OUTCOMES = ("answer", "answer", "suggest", "escalate", "decline")
# (name, path); {question} and {entry} are filled from the seeded database.
PAGES = (
    ("login", "/staf/"),
    ("kotak masuk", "/staf/kotak-masuk"),
    ("question detail", "/staf/kotak-masuk/{question}"),
    ("pengetahuan", "/staf/pengetahuan"),
    ("entry edit form", "/staf/pengetahuan/{entry}"),
    ("tahapan", "/staf/tahapan"),
    ("pengumuman", "/staf/pengumuman"),
    ("composer", "/staf/pengumuman/baru"),
    ("dasbor", "/staf/dasbor"),
    ("staf", "/staf/staf"),
)


@contextlib.contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A new, migrated and seeded database; yields its URL and drops it afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'console.db'}"
        return
    server = os.environ.get(
        "TANYAPEMILU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    database = f"tp_bench_console_{os.getpid()}"
    admin = create_db_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield make_url(server).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def _settings(url: str, folder: Path) -> Settings:
    return Settings(_env_file=None, database_url=url, cache_dir=folder / "cache")


def _bulk_questions(engine: Engine) -> None:
    """1,000 open questions, each asked by its own chat, half of them overdue, and 3,000
    logged questions over the last 90 days."""
    now = utcnow()
    chats, questions, askers = [], [], []
    for n in range(1, OPEN_QUESTIONS + 1):
        asked = now - timedelta(hours=n)
        masked = f"pertanyaan warga nomor {n} tentang {TOPICS[n % len(TOPICS)]}"
        chats.append(
            {"id": n, "telegram_chat_id": 500_000 + n, "kind": "private", "first_seen_at": asked,
             "last_seen_at": asked, "subscribed": False, "subscription_areas": [],
             "blocked": False, "language": "id"}
        )  # fmt: skip
        questions.append(
            {"id": n, "status": "open", "masked_text": masked, "normalised_text": masked,
             "ask_count": 1 + n % 7, "first_asked_at": asked, "last_asked_at": asked,
             "due_at": asked + timedelta(days=2 if n % 2 else -1)}
        )  # fmt: skip
        askers.append({"question_id": n, "chat_id": n, "masked_text": masked, "asked_at": asked})
    logs = [
        {"chat_id": 1 + n % OPEN_QUESTIONS, "masked_text": "uji", "normalised_text": "uji",
         "outcome": OUTCOMES[n % len(OUTCOMES)], "score": 50.0, "latency_ms": 3.0,
         "channel": "telegram", "feedback": ("helpful", None, "not_helpful")[n % 3],
         "asked_at": now - timedelta(minutes=43 * n)}
        for n in range(LOGGED_QUESTIONS)
    ]  # fmt: skip
    with session_scope(engine) as session:
        for table, rows in (
            (Chat, chats),
            (UnansweredQuestion, questions),
            (UnansweredAsker, askers),
            (QuestionLog, logs),
        ):
            session.execute(insert(table), rows)


def prepare(url: str, folder: Path) -> dict[str, str]:
    """Migrate, seed and fill the database; returns the ids the page paths need."""
    engine = create_db_engine(url)
    prepare_database(_settings(url, folder), engine)
    with session_scope(engine) as session:
        create_staff(session, username=ADMIN[0], password=ADMIN[1], role=StaffRole.ADMIN)
    _bulk_questions(engine)
    with Session(engine) as session:
        entry = session.exec(select(KnowledgeEntry.slug).order_by(KnowledgeEntry.id)).first()
    engine.dispose()
    return {"question": str(OPEN_QUESTIONS // 2), "entry": entry or ""}


def serve(url: str, folder: str, port: int) -> None:
    """The child process: the whole app on 127.0.0.1:``port`` until terminated."""
    import uvicorn

    from admin_api.app import create_app

    settings = _settings(url, Path(folder))
    app = create_app(settings, create_db_engine(url))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_app(url: str, folder: Path) -> Iterator[str]:
    """The app served by a child process; yields its base URL."""
    port = _free_port()
    child = multiprocessing.get_context("spawn").Process(
        target=serve, args=(url, str(folder), port), daemon=True
    )
    child.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline or not child.is_alive():
                raise RuntimeError("the console did not start")
            time.sleep(0.1)
        yield base
    finally:
        child.terminate()
        child.join(10)


def log_in(client: httpx.Client) -> None:
    """Log in through the form, as a browser does (CSRF token, then the session cookie)."""
    page = client.get("/staf/")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    form = {
        "username": ADMIN[0],
        "password": ADMIN[1],
        "csrftoken": token.group(1) if token else "",
    }
    response = client.post("/staf/masuk", data=form)
    if response.status_code != 303:
        raise RuntimeError(f"login failed: {response.status_code}")


class _Assets(HTMLParser):
    """The stylesheets and scripts a page names."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")
        if tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.urls.append(found["href"] or "")


def first_visit_bytes(client: httpx.Client, path: str, html: bytes) -> int:
    """The HTML and every stylesheet and script it names, as a browser's first visit loads
    them (each file once)."""
    parser = _Assets()
    parser.feed(html.decode("utf-8", "replace"))
    assets = dict.fromkeys(url for url in parser.urls if not url.startswith("data:"))
    base = str(client.base_url)
    sizes = [len(client.get(urljoin(base + path, url)).content) for url in assets]
    return len(html) + sum(sizes)


@dataclass(frozen=True)
class Timing:
    status: int
    milliseconds: list[float]
    body: bytes


def timed(client: httpx.Client, path: str, requests: int) -> Timing:
    """``requests`` GETs of ``path`` one after another (after a short warm-up)."""
    first = client.get(path)
    if first.status_code != 200:
        return Timing(first.status_code, [], first.content)
    for _ in range(WARM_UP):
        client.get(path)
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} while measured")
    return Timing(200, times, first.content)


def _row(name: str, path: str, timing: Timing, baseline: float, weight: int) -> list[object]:
    median = statistics.median(timing.milliseconds)
    return [
        name,
        path,
        f"{median:.1f}",
        f"{percentile(timing.milliseconds, 0.95):.1f}",
        f"{median / baseline:.1f}x",
        f"{len(timing.body) / 1024:.1f}",
        f"{weight / 1024:.1f}",
    ]


def measure(base: str, ids: dict[str, str], requests: int) -> tuple[list[list[object]], list[str]]:
    """The table's rows, and the pages skipped (with why)."""
    rows, skipped = [], []
    with (
        httpx.Client(base_url=base, timeout=30) as visitor,
        httpx.Client(base_url=base, timeout=30) as admin,
    ):
        log_in(admin)
        health = timed(visitor, "/healthz", requests)
        baseline = statistics.median(health.milliseconds)
        rows.append(_row("baseline: /healthz", "/healthz", health, baseline, len(health.body)))
        for name, template in PAGES:
            path = template.format(**ids)
            client = visitor if name == "login" else admin
            timing = timed(client, path, requests)
            if timing.status != 200:
                skipped.append(f"{name} ({path}): {timing.status}")
                continue
            rows.append(
                _row(name, path, timing, baseline, first_visit_bytes(client, path, timing.body))
            )
    return rows, skipped


def run(kind: str, requests: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tp-console-bench-"))
    try:
        with fresh_database(kind, folder) as url:
            ids = prepare(url, folder)
            with running_app(url, folder) as base:
                rows, skipped = measure(base, ids, requests)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"Console pages: {requests} requests each, one at a time, uvicorn in a child process, "
        f"{kind}, {OPEN_QUESTIONS:,} open questions, {LOGGED_QUESTIONS:,} logged questions"
    )
    header = ["page", "path", "median ms", "p95 ms", "x healthz", "HTML KB", "first visit KB"]
    print_table(header, rows)
    for page in skipped:
        print(f"skipped, not served: {page}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    run(args.database, args.requests)


if __name__ == "__main__":
    main()
