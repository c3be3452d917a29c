"""The main command migrates, reports what it runs, serves the API and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from knowledge_base.core import migrations
from knowledge_base.core.db import create_db_engine
from tests.ports import free_port


def _cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
    env.update({"TANYAPEMILU_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", **extra})
    return env


def _tanyapemilu(*args: str) -> list[str]:
    return [sys.executable, "-m", "tanyapemilu", *args]


@pytest.fixture
def served(tmp_path: Path):
    port = free_port()
    env = _cli_env(tmp_path, TANYAPEMILU_API_PORT=str(port))
    process = subprocess.Popen(
        _tanyapemilu("serve"),
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    status = process.stdout.readline()
    yield process, status, port
    if process.poll() is None:
        process.kill()
        process.wait()


def test_serve_prints_a_status_line_naming_database_and_bot(served) -> None:
    _process, status, port = served

    assert "TanyaPemilu running" in status
    assert f"staff console on http://127.0.0.1:{port}/staf/" in status
    assert "cli.db" in status
    assert "Telegram bot disabled" in status


def test_serve_migrates_a_fresh_database_and_answers_health_checks(served) -> None:
    _process, _status, port = served

    response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)

    assert response.json() == {"status": "ok"}


def test_serve_stops_cleanly_on_sigterm(served) -> None:
    process, _status, _port = served

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=10) == 0


def test_invalid_configuration_fails_with_one_clear_line(tmp_path: Path) -> None:
    env = _cli_env(tmp_path, TANYAPEMILU_TIMEZONE="Nowhere/Atlantis")

    result = subprocess.run(
        _tanyapemilu("db", "current"), env=env, cwd=tmp_path, capture_output=True, text=True
    )

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Configuration error: TANYAPEMILU_TIMEZONE:")
    assert "unknown time zone 'Nowhere/Atlantis'" in lines[0]


def test_db_upgrade_brings_the_database_to_head(tmp_path: Path) -> None:
    env = _cli_env(tmp_path)

    result = subprocess.run(
        _tanyapemilu("db", "upgrade"), env=env, cwd=tmp_path, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    url = env["TANYAPEMILU_DATABASE_URL"]
    engine = create_db_engine(url)
    try:
        assert migrations.is_up_to_date(engine, url)
    finally:
        engine.dispose()
