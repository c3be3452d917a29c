"""Point 3: a DEBUG run logs neither a citizen's NIK nor the bot token."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tanyapemilu.cli.logging_setup import RedactingFormatter
from tests.ports import free_port
from tests.telegram.fake_server import FakeTelegram, running_fake_telegram
from tests.telegram.harness import text_message

TOKEN = "7012345678:AAHk3xQ9ZtYwVb2NcLmP8sRfT1uJ4oE6dGa"
NIK = "1371021234560003"


def _debug_run_log(tmp_path: Path, **extra_env: str) -> tuple[str, list]:
    """Run ``serve`` at DEBUG, let a citizen send their NIK, stop it; its stderr and replies."""
    with running_fake_telegram(FakeTelegram(token=TOKEN)) as (fake, base_url):
        env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
        env.update(
            TANYAPEMILU_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
            TANYAPEMILU_API_PORT=str(free_port()),
            TANYAPEMILU_TELEGRAM_TOKEN=TOKEN,
            TANYAPEMILU_TELEGRAM_BASE_URL=base_url,
            TANYAPEMILU_LOG_LEVEL="DEBUG",
            **extra_env,
        )
        log_file = (tmp_path / "stderr.log").open("w")
        # A file, not a pipe: a DEBUG run writes more than a pipe holds before we read it.
        process = subprocess.Popen(
            [sys.executable, "-m", "tanyapemilu", "serve"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
        )
        try:
            process.stdout.readline()
            question = f"NIK saya {NIK} apakah sudah terdaftar di DPT?"
            fake.push_update({"message": text_message(4242, question)})
            deadline = time.monotonic() + 30
            while not fake.sent("sendMessage", chat_id=4242) and time.monotonic() < deadline:
                time.sleep(0.05)
            replies = fake.sent("sendMessage", chat_id=4242)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
            log_file.close()
    return (tmp_path / "stderr.log").read_text(), replies


def test_a_debug_run_logs_neither_the_nik_nor_the_token(tmp_path: Path) -> None:
    log, replies = _debug_run_log(tmp_path)

    assert replies, "the bot answered"
    assert "DEBUG" in log, "the run really logged at DEBUG"
    assert NIK not in log
    assert TOKEN not in log
    assert TOKEN.split(":")[1] not in log


def test_library_debug_logging_is_opt_in_and_still_redacted(tmp_path: Path) -> None:
    log, _replies = _debug_run_log(tmp_path, TANYAPEMILU_LIBRARY_LOG_LEVEL="DEBUG")

    assert "httpx" in log or "telegram" in log, "library loggers spoke"
    assert NIK not in log
    assert TOKEN.split(":")[1] not in log


def test_the_formatter_redacts_a_token_in_a_traceback() -> None:
    formatter = RedactingFormatter("%(message)s", (TOKEN,))
    try:
        raise ConnectionError(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed")
    except ConnectionError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())

    line = formatter.format(record)

    assert "getMe failed" in line
    assert TOKEN.split(":")[1] not in line
