"""Point 7, errors are promises: every API failure answers in the one JSON error shape, health
checks tell the truth about writes and running parts, and every start-up failure of
``tanyapemilu serve`` is one line on stderr naming the cause and the setting."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, select

from admin_api.app import create_app
from admin_api.security import create_access_token
from knowledge_base.core.db import create_db_engine
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.content_files import ContentError
from knowledge_base.knowledge.entries import import_path
from knowledge_base.staff.models import StaffUser
from tests.api_fixtures import ADMIN, STAFF, login, make_accounts
from tests.ports import free_port
from tests.telegram.fake_server import FakeTelegram, running_fake_telegram
from tests.test_api_knowledge import ENTRY

TANYAPEMILU = str(Path(sys.executable).parent / "tanyapemilu")
TIMEOUT = 20
HUGE_NUMBER = "9" * 5000
SERVER_ERROR = "Terjadi kesalahan pada server. Silakan coba lagi."
DATABASE_UNAVAILABLE = "Basis data tidak dapat dipakai saat ini."


def _entry_yaml(question: str) -> str:
    phrasings = "".join(f"  - {p}\n" for p in ENTRY["phrasings"])
    return (
        f"- id: {ENTRY['id']}\n  category: {ENTRY['category']}\n  question: {question}\n"
        f"  phrasings:\n{phrasings}  answer: {ENTRY['answer']}\n"
        f"  legal_source: {ENTRY['legal_source']}\n  reviewed: 2026-11-29\n"
    )


def _error_shape(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == status
    return body["error"]


# ---- YAML import -----------------------------------------------------------------------------


async def test_a_yaml_import_with_a_5000_digit_number_is_a_422_naming_record_and_field(
    api: httpx.AsyncClient,
) -> None:
    headers = await login(api, *ADMIN)

    response = await api.post(
        "/kb/import",
        content=_entry_yaml(HUGE_NUMBER),
        headers={**headers, "Content-Type": "text/plain"},
    )

    error = _error_shape(response, 422)
    assert f"record '{ENTRY['id']}': question: number too long" in error["message"]
    assert "upload:3" in error["message"]
    assert (await api.get("/kb/entries", headers=headers)).json()["total"] == 0


@pytest.fixture
def sqlite_engine(tmp_path: Path, migrated_sqlite_template: Path) -> Iterator[Engine]:
    path = tmp_path / "writable.db"
    shutil.copyfile(migrated_sqlite_template, path)
    engine = create_db_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    ("value", "problem"),
    [(HUGE_NUMBER, "number too long (5000 digits"), ("2024-13-45", "unreadable value")],
)
def test_kb_import_of_a_file_names_the_record_and_field_of_an_unreadable_value(
    tmp_path: Path, sqlite_engine: Engine, value: str, problem: str
) -> None:
    content = tmp_path / "entries.yaml"
    content.write_text(_entry_yaml(value), encoding="utf-8")

    with Session(sqlite_engine) as session, pytest.raises(ContentError) as raised:
        import_path(session, content)

    [only] = raised.value.problems
    assert str(only).startswith(f"{content}:3: record '{ENTRY['id']}': question: {problem}")


# ---- database failures and health -----------------------------------------------------------


def _read_only_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return create_db_engine(f"sqlite:///file:{url.database}?mode=ro&uri=true")
    return create_db_engine(
        database_url, connect_args={"options": "-c default_transaction_read_only=on"}
    )


def _staff_token(settings: Settings, engine: Engine) -> dict[str, str]:
    make_accounts(engine)
    with Session(engine) as session:
        staff_id = session.exec(select(StaffUser.id).where(StaffUser.username == STAFF[0])).one()
    return {"Authorization": f"Bearer {create_access_token(settings, staff_id=staff_id)}"}


def _client(app: FastAPI) -> httpx.AsyncClient:
    # Unhandled exceptions reach the client as responses, as they would over the network.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://api")


@pytest_asyncio.fixture
async def read_only_api(
    database_url: str, engine: Engine
) -> AsyncIterator[tuple[httpx.AsyncClient, dict]]:
    """The API on a database that refuses writes (SQLite ``mode=ro``, PostgreSQL read-only
    transactions), with a valid staff token."""
    settings = Settings(_env_file=None, database_url=database_url)
    headers = _staff_token(settings, engine)
    read_only = _read_only_engine(database_url)
    async with _client(create_app(settings, read_only)) as client:
        yield client, headers
    read_only.dispose()


async def test_a_database_write_failure_answers_503_in_the_error_shape(read_only_api) -> None:
    client, headers = read_only_api
    assert (await client.get("/kb/entries", headers=headers)).status_code == 200

    response = await client.post("/kb/entries", json=ENTRY, headers=headers)

    assert _error_shape(response, 503)["message"] == DATABASE_UNAVAILABLE


async def test_healthz_is_503_when_the_database_refuses_writes(read_only_api) -> None:
    client, _headers = read_only_api

    response = await client.get("/healthz")

    error = _error_shape(response, 503)
    assert error["message"] == DATABASE_UNAVAILABLE
    assert error["fields"] == {"database": "down"}


async def test_ready_names_each_component_and_reports_a_read_only_database_down(
    read_only_api,
) -> None:
    client, _headers = read_only_api

    error = _error_shape(await client.get("/healthz/ready"), 503)

    assert error["fields"] == {"database": "down", "bot": "disabled", "scheduler": "disabled"}


def _app(engine: Engine, **kwargs) -> httpx.AsyncClient:
    settings = Settings(_env_file=None, database_url=str(engine.url))
    return _client(create_app(settings, engine, **kwargs))


async def test_ready_is_200_when_everything_configured_runs(sqlite_engine: Engine) -> None:
    async with _app(sqlite_engine) as client:
        response = await client.get("/healthz/ready")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "components": {"database": "ok", "bot": "disabled", "scheduler": "disabled"},
    }


async def test_ready_is_503_naming_a_component_that_is_down(sqlite_engine: Engine) -> None:
    async with _app(sqlite_engine, readiness=lambda: {"bot": "ok", "scheduler": "down"}) as client:
        response = await client.get("/healthz/ready")

    error = _error_shape(response, 503)

    assert error["fields"] == {"database": "ok", "bot": "ok", "scheduler": "down"}
    assert "scheduler" in error["message"]


async def test_an_unhandled_error_is_a_json_500_logged_once_without_the_body(
    sqlite_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(_env_file=None, database_url=str(sqlite_engine.url))
    app = create_app(settings, sqlite_engine)

    @app.post("/kb/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    token = create_access_token(settings, staff_id=1)
    with caplog.at_level(logging.ERROR):
        async with _client(app) as client:
            response = await client.post(
                "/kb/boom",
                json={"rahasia": "NIK-warga-3273010101010001"},
                headers={"Authorization": f"Bearer {token}"},
            )

    assert _error_shape(response, 500)["message"] == SERVER_ERROR
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert len(tracebacks) == 1
    assert "POST /kb/boom" in tracebacks[0].getMessage()
    assert "3273010101010001" not in caplog.text


# ---- start-up of `tanyapemilu serve` ------------------------------------------------------


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
    env.update(
        TANYAPEMILU_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
        TANYAPEMILU_API_PORT=str(free_port()),
    )
    env.update({f"TANYAPEMILU_{name.upper()}": value for name, value in settings.items()})
    return env


def _serve(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TANYAPEMILU, "serve"],
        env=_env(tmp_path, **settings),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _one_failure_line(result: subprocess.CompletedProcess[str], setting: str) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert result.returncode in (1, 2), result.stderr
    assert f"TANYAPEMILU_{setting}" in lines[0]
    assert "TanyaPemilu running" not in result.stdout
    return lines[0]


class CountingTelegram(FakeTelegram):
    """The fake Bot API, also counting ``getUpdates`` (which it does not record)."""

    polls: int = 0

    async def _m_getUpdates(self, params):
        self.polls += 1
        return await super()._m_getUpdates(params)


def test_a_busy_port_stops_start_up_before_the_bot_polls(tmp_path: Path) -> None:
    port = free_port()
    with (
        socket.socket() as taken,
        running_fake_telegram(CountingTelegram()) as (fake, base_url),
    ):
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = _serve(
            tmp_path, api_port=str(port), telegram_token=fake.token, telegram_base_url=base_url
        )

    line = _one_failure_line(result, "API_PORT")
    assert line.startswith("Start-up error: cannot listen on 127.0.0.1:")
    assert "address already in use" in line
    assert result.returncode == 1
    assert result.stdout == ""
    assert fake.polls == 0 and fake.calls == []


def test_an_unreachable_postgresql_is_one_line(tmp_path: Path) -> None:
    result = _serve(tmp_path, database_url="postgresql+psycopg://postgres@127.0.0.1:1/test")

    line = _one_failure_line(result, "DATABASE_URL")
    assert "connection refused" in line.lower()
    assert result.returncode == 1


def test_a_missing_postgresql_database_is_one_line(tmp_path: Path, postgres_admin_url: str) -> None:
    name = f"tp_missing_{uuid.uuid4().hex[:12]}"
    url = make_url(postgres_admin_url).set(database=name).render_as_string(hide_password=False)

    result = _serve(tmp_path, database_url=url)

    line = _one_failure_line(result, "DATABASE_URL")
    assert f'database "{name}" does not exist' in line
    assert result.returncode == 1


def test_a_read_only_database_stops_start_up_with_one_line(
    tmp_path: Path, migrated_sqlite_template: Path
) -> None:
    path = tmp_path / "readonly.db"
    shutil.copyfile(migrated_sqlite_template, path)

    result = _serve(tmp_path, database_url=f"sqlite:///file:{path}?mode=ro&uri=true")

    assert "readonly database" in _one_failure_line(result, "DATABASE_URL")
    assert result.returncode == 1


def test_an_unparseable_database_url_is_a_configuration_error(tmp_path: Path) -> None:
    result = _serve(tmp_path, database_url="sqlite:garbage")

    line = _one_failure_line(result, "DATABASE_URL")
    assert line.startswith("Configuration error: TANYAPEMILU_DATABASE_URL:")
    assert result.returncode == 2


def test_a_telegram_base_url_that_is_not_http_is_a_configuration_error(tmp_path: Path) -> None:
    result = _serve(tmp_path, telegram_token="123456:TEST", telegram_base_url="api.telegram.org")

    assert _one_failure_line(result, "TELEGRAM_BASE_URL").startswith("Configuration error:")
    assert result.returncode == 2


def test_an_unreachable_telegram_base_url_is_one_line(tmp_path: Path) -> None:
    result = _serve(
        tmp_path, telegram_token="123456:TEST", telegram_base_url="http://127.0.0.1:1/bot"
    )

    line = _one_failure_line(result, "TELEGRAM_BASE_URL")
    assert "http://127.0.0.1:1/bot" in line
    assert result.returncode == 1


def test_a_rejected_token_is_one_line_that_does_not_print_the_token(tmp_path: Path) -> None:
    token = "654321:WRONG-token-value-for-the-fake"
    with running_fake_telegram() as (_fake, base_url):
        result = _serve(tmp_path, telegram_token=token, telegram_base_url=base_url)

    _one_failure_line(result, "TELEGRAM_TOKEN")
    assert token not in result.stderr + result.stdout
    assert result.returncode == 1


def test_ready_reports_the_running_bot_and_scheduler_of_serve(tmp_path: Path) -> None:
    with running_fake_telegram() as (fake, base_url):
        env = _env(tmp_path, telegram_token=fake.token, telegram_base_url=base_url)
        process = subprocess.Popen(
            [TANYAPEMILU, "serve"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True
        )
        try:
            status = process.stdout.readline()
            port = env["TANYAPEMILU_API_PORT"]
            response = httpx.get(f"http://127.0.0.1:{port}/healthz/ready", timeout=5)
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
    assert "Telegram bot enabled (polling)" in status
    assert response.json() == {
        "status": "ok",
        "components": {
            "database": "ok",
            "bot": "ok",
            "scheduler": "ok",
            "scheduler_role": "leader",
            "outbox": "ok",
        },
    }
    assert code == 0
