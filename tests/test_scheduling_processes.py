"""Two `tanyapemilu serve` processes on one PostgreSQL database: an announcement goes out once,
and when the scheduling process dies the other takes over."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from knowledge_base.core.columns import utcnow
from tests.ports import free_port
from tests.telegram.fake_server import running_fake_telegram
from tests.test_broadcast import subscribers
from tests.test_scheduling import scheduled

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])


def _serve(database_url: str, base_url: str, token: str, cwd: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
    port = free_port()
    env.update(
        TANYAPEMILU_DATABASE_URL=database_url,
        TANYAPEMILU_API_PORT=str(port),
        TANYAPEMILU_TELEGRAM_TOKEN=token,
        TANYAPEMILU_TELEGRAM_BASE_URL=base_url,
        TANYAPEMILU_SCHEDULER_SYNC_SECONDS="0.3",
        TANYAPEMILU_BROADCAST_RATE="200",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "tanyapemilu", "serve"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    process.stdout.readline()  # the status line: started
    process.api_port = port  # type: ignore[attr-defined]
    return process


def _roles(processes: list[subprocess.Popen]) -> list[str]:
    """What each process's /healthz/ready says its scheduler is doing."""
    roles = []
    for process in processes:
        url = f"http://127.0.0.1:{process.api_port}/healthz/ready"
        with urllib.request.urlopen(url, timeout=5) as response:
            roles.append(json.load(response)["components"]["scheduler_role"])
    return roles


def _wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_two_processes_send_once_and_the_survivor_takes_over(
    database_url: str, engine, tmp_path: Path
) -> None:
    chats = subscribers(engine, 20)
    with running_fake_telegram() as (fake, base_url):
        processes = [_serve(database_url, base_url, fake.token, tmp_path) for _ in range(2)]
        try:
            scheduled(engine, utcnow() - timedelta(minutes=1))
            _wait_for(lambda: len(fake.sent("sendMessage")) >= len(chats))
            time.sleep(1.0)  # a second sender would show up as extra messages now
            first_round = Counter(c.params["chat_id"] for c in fake.sent("sendMessage"))

            # The first process started its scheduler first, so it holds the lock: kill it
            # without any chance to clean up; PostgreSQL frees the lock with its connection.
            processes[0].send_signal(signal.SIGKILL)
            processes[0].wait(timeout=10)
            scheduled(engine, utcnow())
            _wait_for(lambda: len(fake.sent("sendMessage")) >= 2 * len(chats), timeout=40)
            total = Counter(c.params["chat_id"] for c in fake.sent("sendMessage"))
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=20)
    assert first_round == Counter(chats)
    assert total == Counter({chat: 2 for chat in chats})


def _lock_holders(engine) -> list[int]:
    """Backend pids holding the scheduler's advisory lock."""
    from sqlalchemy import text

    from bot.scheduling import LOCK_KEY

    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND ((classid::bigint << 32) | objid::bigint) = :key AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
            {"key": LOCK_KEY},
        )
        return [row[0] for row in rows]


def test_a_leader_whose_lock_connection_dies_steps_down_and_one_process_schedules(
    database_url: str, engine, tmp_path: Path
) -> None:
    from sqlalchemy import text

    chats = subscribers(engine, 10)
    with running_fake_telegram() as (fake, base_url):
        processes = [_serve(database_url, base_url, fake.token, tmp_path) for _ in range(2)]
        try:
            _wait_for(lambda: len(_lock_holders(engine)) == 1)
            [leader_backend] = _lock_holders(engine)
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": leader_backend})
                conn.commit()
            _wait_for(lambda: _lock_holders(engine) not in ([], [leader_backend]))
            time.sleep(1.0)  # several sync rounds for the old leader to notice
            holders = _lock_holders(engine)
            roles = _roles(processes)
            scheduled(engine, utcnow())
            _wait_for(lambda: len(fake.sent("sendMessage")) >= len(chats))
            time.sleep(1.0)  # a second scheduler would show up as extra messages now
            sent = Counter(c.params["chat_id"] for c in fake.sent("sendMessage"))
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=20)
    assert len(holders) == 1 and holders != [leader_backend]
    assert sorted(roles) == ["leader", "standby"]
    assert sent == Counter(chats)
