"""The main command runs the API and the polling bot in one process and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.ports import free_port
from tests.telegram.fake_server import running_fake_telegram
from tests.telegram.harness import text_message


def test_serve_runs_the_bot_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    with running_fake_telegram() as (fake, base_url):
        env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
        env.update(
            TANYAPEMILU_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
            TANYAPEMILU_API_PORT=str(free_port()),
            TANYAPEMILU_TELEGRAM_TOKEN=fake.token,
            TANYAPEMILU_TELEGRAM_BASE_URL=base_url,
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "tanyapemilu", "serve"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            status = process.stdout.readline()
            fake.push_update({"message": text_message(4242, "gmn cara cek dpt online")})
            deadline = time.monotonic() + 30
            while not fake.sent("sendMessage", chat_id=4242) and time.monotonic() < deadline:
                time.sleep(0.05)
            replies = fake.sent("sendMessage", chat_id=4242)
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
    assert "Telegram bot enabled (polling)" in status
    assert replies and "cekdptonline" in replies[0].params["text"]
    assert code == 0


def test_a_staff_answer_reaches_the_citizen_through_the_outbox_of_serve(tmp_path: Path) -> None:
    import httpx

    from tests.test_followup_e2e import ANSWER, UNKNOWN

    port = free_port()
    with running_fake_telegram() as (fake, base_url):
        env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
        env.update(
            TANYAPEMILU_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
            TANYAPEMILU_API_PORT=str(port),
            TANYAPEMILU_TELEGRAM_TOKEN=fake.token,
            TANYAPEMILU_TELEGRAM_BASE_URL=base_url,
            TANYAPEMILU_ADMIN_USERNAME="admin",
            TANYAPEMILU_ADMIN_PASSWORD="kata-sandi-admin-1",
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "tanyapemilu", "serve"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            process.stdout.readline()
            fake.push_update({"message": text_message(4343, UNKNOWN)})
            deadline = time.monotonic() + 30
            while not fake.sent("sendMessage", chat_id=4343) and time.monotonic() < deadline:
                time.sleep(0.05)
            api = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
            token = api.post(
                "/auth/token", data={"username": "admin", "password": "kata-sandi-admin-1"}
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            question = api.get("/questions?status=open", headers=headers).json()["items"][0]
            answered = api.post(
                f"/questions/{question['id']}/answer", json={"answer": ANSWER}, headers=headers
            )
            while len(fake.sent("sendMessage", chat_id=4343)) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            replies = fake.sent("sendMessage", chat_id=4343)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
    assert answered.status_code == 200
    assert len(replies) == 2
    assert "gudang KPU" in replies[1].params["text"]
