"""Two `tanyapemilu serve` processes on one PostgreSQL database: an announcement goes out once,
and when the scheduling process dies the other takes over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from knowledge_base.models import utcnow
from tests.telegram.fake_server import running_fake_telegram
from tests.test_broadcast import subscribers
from tests.test_cli_serve import _free_port
from tests.test_scheduling import scheduled

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])


def _serve(database_url: str, base_url: str, token: str, cwd: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
    env.update(
        TANYAPEMILU_DATABASE_URL=database_url,
        TANYAPEMILU_API_PORT=str(_free_port()),
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
    return process


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
