"""A sender killed (SIGKILL) mid-broadcast resumes on restart and never resends a sent row.

The restarted ``announcements send`` takes over the outbox rows the dead process left
``sending`` once their lease has expired, and closes the announcement."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlmodel import Session, select

from knowledge_base.announcements.models import Announcement, AnnouncementStatus
from knowledge_base.core import migrations
from knowledge_base.core.db import create_db_engine
from knowledge_base.outbox.models import OutboxMessage, OutboxStatus
from tests.telegram.fake_server import running_fake_telegram
from tests.test_broadcast import announcement, subscribers

SUBSCRIBERS = 2000
WORKERS = 8  # OutboxPolicy default: the most messages that can be in flight at the kill


def _sender(
    url: str, base_url: str, token: str, announcement_id: int, cwd: Path
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
    env.update(
        TANYAPEMILU_DATABASE_URL=url,
        TANYAPEMILU_TELEGRAM_TOKEN=token,
        TANYAPEMILU_TELEGRAM_BASE_URL=base_url,
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tanyapemilu",
            "announcements",
            "send",
            str(announcement_id),
            "--rate",
            "400",
        ],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_killed_broadcast_resumes_and_reaches_everyone_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    migrations.upgrade(url)
    engine = create_db_engine(url)
    chats = subscribers(engine, SUBSCRIBERS)
    announcement_id = announcement(engine)
    with running_fake_telegram() as (fake, base_url):
        first = _sender(url, base_url, fake.token, announcement_id, tmp_path)
        deadline = time.monotonic() + 60
        while len(fake.sent("sendMessage")) < SUBSCRIBERS // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        received_before_kill = len(fake.sent("sendMessage"))

        second = _sender(url, base_url, fake.token, announcement_id, tmp_path)
        _out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err

        per_chat = Counter(c.params["chat_id"] for c in fake.sent("sendMessage"))
    with Session(engine) as session:
        statuses = Counter(session.exec(select(OutboxMessage.status)).all())
        rows_per_chat = Counter(session.exec(select(OutboxMessage.chat_id)).all())
        status = session.get(Announcement, announcement_id).status
    engine.dispose()

    duplicates = sum(count - 1 for count in per_chat.values())
    print(f"\nkilled after {received_before_kill} messages; duplicates: {duplicates}")
    assert 0 < received_before_kill < SUBSCRIBERS
    assert statuses == {OutboxStatus.SENT: SUBSCRIBERS}
    assert status == AnnouncementStatus.SENT
    assert set(rows_per_chat.values()) == {1}
    assert set(per_chat) == set(chats)
    assert duplicates <= WORKERS
