"""Shared fixtures: an isolated, migrated database per test on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from knowledge_base.core import migrations
from knowledge_base.core.db import create_db_engine

POSTGRES_URL_VAR = "TANYAPEMILU_TEST_POSTGRES_URL"
# Training the ranking model costs seconds of CPU; only the tests of retraining switch it on.
os.environ.setdefault("TANYAPEMILU_RETRAIN_IN_BACKGROUND", "false")
pytest_plugins = ["tests.bot_fixtures", "tests.api_fixtures"]
BACKENDS = ["sqlite", "postgresql"]


def _postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_URL_VAR) or None


def _postgres_reachable(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect():
            return True
    except Exception:
        return False
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """The URL of the PostgreSQL server's ``test`` database; skips (fails on CI) when absent."""
    url = _postgres_admin_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_URL_VAR} must be set on CI")
        pytest.skip(f"{POSTGRES_URL_VAR} not set")
    if not _postgres_reachable(url):
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {url} is not reachable")
        pytest.skip(f"PostgreSQL at {url} is not reachable")
    return url


class PostgresDatabases:
    """Creates and drops throwaway databases on the test server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def url_for(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        clause = f" TEMPLATE {template}" if template else ""
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return self.url_for(name)

    def drop(self, name: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgres_databases(postgres_admin_url: str) -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_admin_url)
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run; tests get copies."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrations.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres_template(postgres_databases: PostgresDatabases) -> Iterator[str]:
    """A PostgreSQL database migrated to head once per run; tests get copies of it."""
    name = f"tp_template_{os.getpid()}"
    url = postgres_databases.create(name)
    migrations.upgrade(url)
    yield name
    postgres_databases.drop(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Runs the requesting test once per storage backend."""
    return str(request.param)


@pytest.fixture
def empty_database_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """The URL of an empty, never-migrated database on the current backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    name = f"tp_empty_{uuid.uuid4().hex[:12]}"
    url = databases.create(name)
    yield url
    databases.drop(name)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a database migrated to head, private to this test."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("migrated_sqlite_template")
        path = tmp_path / "test.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    template_name: str = request.getfixturevalue("migrated_postgres_template")
    name = f"tp_test_{uuid.uuid4().hex[:12]}"
    url = databases.create(name, template=template_name)
    yield url
    databases.drop(name)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on this test's migrated database."""
    db_engine = create_db_engine(database_url)
    yield db_engine
    db_engine.dispose()
