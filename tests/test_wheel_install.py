"""Installable anywhere: a wheel built from the repository, installed into a fresh virtualenv
outside the checkout, migrates a new database and serves; it pulls no development tools."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from knowledge_base.core.migrations import head_revision
from tests.ports import free_port

REPO = Path(__file__).resolve().parent.parent
NOT_SOURCE = (".venv", ".git", "data", "build", "*.egg-info", "__pycache__", ".*_cache")
DEV_TOOLS = {
    "pytest",
    "ruff",
    "hypothesis",
    "schemathesis",
    "import-linter",
    "pytest-xdist",
    "playwright",
    "pytest-playwright",
}
CONSOLE_FILES = ("/staf/", "/staf/static/console.css", "/staf/static/htmx.min.js")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh virtualenv with only the built wheel (and its dependencies)."""
    root = tmp_path_factory.mktemp("wheel")
    wheels, venv, source = root / "dist", root / "venv", root / "source"
    # Built from a copy: building in the checkout would leave build/ folders in it.
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        cwd=root,
    )
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheel = next(wheels.glob("tanyapemilu-*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)], check=True)
    return venv / "bin"


def _clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANYAPEMILU_", "PYTHON"))}
    return {**env, **settings}


def test_the_wheel_pulls_no_development_tools(installed: Path) -> None:
    listed = subprocess.run(
        [str(installed / "pip"), "list", "--format=freeze"], capture_output=True, text=True
    ).stdout.lower()

    names = {line.split("==")[0] for line in listed.splitlines()}
    assert names & DEV_TOOLS == set()
    assert "tanyapemilu" in names


def test_an_installed_copy_migrates_and_serves_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    port = free_port()
    env = _clean_env(
        TANYAPEMILU_DATABASE_URL=f"sqlite:///{tmp_path / 'office.db'}",
        TANYAPEMILU_API_PORT=str(port),
    )
    process = subprocess.Popen(
        [str(installed / "tanyapemilu"), "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = process.stdout.readline()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            health = response.status
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert "TanyaPemilu running" in status, process.stderr.read()
    assert health == 200
    assert code == 0
    current = subprocess.run(
        [str(installed / "tanyapemilu"), "db", "current"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert head_revision() in current.stdout, current


def test_an_installed_copy_serves_the_staff_console_with_its_templates_and_assets(
    installed: Path, tmp_path: Path
) -> None:
    port = free_port()
    env = _clean_env(
        TANYAPEMILU_DATABASE_URL=f"sqlite:///{tmp_path / 'office.db'}",
        TANYAPEMILU_API_PORT=str(port),
    )
    process = subprocess.Popen(
        [str(installed / "tanyapemilu"), "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        process.stdout.readline()
        bodies = {}
        for path in CONSOLE_FILES:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                bodies[path] = (response.status, response.read().decode())
    finally:
        process.kill()
        process.wait()
    assert {status for status, _body in bodies.values()} == {200}
    assert "Masuk ke konsol staf" in bodies["/staf/"][1]
    assert "htmx" in bodies["/staf/static/htmx.min.js"][1]
